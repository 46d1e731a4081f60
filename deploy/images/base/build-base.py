#!/usr/bin/env python3
"""Builds the services' base image without a container daemon: a jlink Java runtime made from the build's own
JDK 21+ (JAVA_HOME) on the few Debian bookworm libraries it needs (libc6, libgcc-s1, libstdc++6), plus a non-root
user 1001. The result is a `docker save` archive that Jib takes as `tar://` base.

Reproducible and cached by its inputs: this script, the JDK (its release file and module image), the module list
and the exact Debian package versions (the candidates apt knows). Same inputs, same bytes (sorted entries, fixed
times and owners); an existing archive for the same inputs is reused. The archive lives in
~/.cache/modelmarket/images/base-<key>.tar and ~/.cache/modelmarket/images/modelmarket-base.tar links to the newest.

Usage: build-base.py [--cache DIR]   (JAVA_HOME must point at a JDK 21+ with jlink; apt-get must work: run as root)
"""
import argparse
import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# The JDK modules the five services reference (a scan of all their jars' class files for each module's packages,
# see deploy/README.md "Images"), plus jdk.zipfs and jdk.naming.dns (found through service loaders, not by name)
# and jdk.jfr for flight recordings in production.
MODULES = [
    "java.base", "java.compiler", "java.desktop", "java.instrument", "java.logging", "java.management",
    "java.naming", "java.rmi", "java.scripting", "java.security.jgss", "java.security.sasl", "java.sql",
    "java.transaction.xa", "java.xml", "jdk.crypto.ec", "jdk.jfr", "jdk.management", "jdk.naming.dns",
    "jdk.unsupported", "jdk.zipfs",
]
# What the runtime links against: libc (java, libjvm, libnet, ...), libgcc_s and libstdc++ (native libraries that
# Kafka's compression codecs unpack at run time).
PACKAGES = ["libc6", "libgcc-s1", "libstdc++6"]
# Documentation and tools the runtime never reads.
PRUNE = ["usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/locale",
         "usr/share/gdb", "usr/lib/x86_64-linux-gnu/gconv", "usr/bin", "usr/sbin", "sbin", "etc/ld.so.conf.d"]
UID = 1001
EPOCH = 0


def run(*cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def apt_lists():
    """A fingerprint of apt's package lists: the candidates only change when these do."""
    lists = sorted(Path("/var/lib/apt/lists").glob("*_Packages*"))
    return [(p.name, p.stat().st_size, int(p.stat().st_mtime)) for p in lists]


def candidates(cache):
    """Exact versions apt would install now; apt's lists are refreshed once if it knows none. apt-cache is slow
    (seconds), so the answer is remembered for as long as the lists stay the same."""
    memo = cache / "candidates.json"
    fingerprint = apt_lists()
    if memo.exists():
        remembered = json.loads(memo.read_text())
        if remembered.get("lists") == [list(x) for x in fingerprint] and set(remembered["versions"]) == set(PACKAGES):
            return remembered["versions"]

    def query():
        out = subprocess.run(["apt-cache", "policy", *PACKAGES], capture_output=True, text=True).stdout
        versions, package = {}, None
        for line in out.splitlines():
            if not line.startswith(" ") and line.endswith(":"):
                package = line[:-1]
            elif line.strip().startswith("Candidate:") and package in PACKAGES:
                version = line.split(":", 1)[1].strip()
                if version != "(none)":
                    versions[package] = version
        return versions
    versions = query()
    if len(versions) < len(PACKAGES):
        print("build-base: refreshing apt's package lists (apt-get update)", file=sys.stderr)
        run("apt-get", "update", "-qq")
        versions = query()
        fingerprint = apt_lists()
    missing = [p for p in PACKAGES if p not in versions]
    if missing:
        sys.exit(f"build-base: apt knows no candidate for {missing}")
    memo.write_text(json.dumps({"lists": fingerprint, "versions": versions}))
    return versions


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inputs(java_home, versions):
    release = (java_home / "release").read_text()
    return {
        "script": sha256_file(__file__),
        # The release file names the exact build; size and time of the module image catch a JDK patched in place.
        "jdk": {"release": release, "modules": [(java_home / "lib" / "modules").stat().st_size,
                                                int((java_home / "lib" / "modules").stat().st_mtime)]},
        "jlink-modules": MODULES,
        "packages": versions,
        "uid": UID,
    }


def key_of(described):
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


def add(tar, root, path, arcname):
    info = tar.gettarinfo(str(path), arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = EPOCH
    if info.isdir():
        info.mode = 0o1777 if arcname == "tmp" else 0o755
    if info.isfile():
        with open(path, "rb") as f:
            tar.addfile(info, f)
    else:
        tar.addfile(info)


def layer_tar(rootfs, out):
    """A deterministic tar of rootfs: sorted entries, owner root, fixed times, symlinks kept as links."""
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            base = Path(dirpath)
            rel = base.relative_to(rootfs)
            if str(rel) != ".":
                add(tar, rootfs, base, str(rel))
            for name in sorted(filenames + [d for d in dirnames if (base / d).is_symlink()]):
                add(tar, rootfs, base / name, str(rel / name) if str(rel) != "." else name)
            dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]


def build(java_home, versions, key, described, out):
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".base-") as tmp:
        tmp = Path(tmp)
        debs = tmp / "debs"
        debs.mkdir()
        run("apt-get", "download", "-qq", *[f"{p}={v}" for p, v in versions.items()], cwd=debs)
        rootfs = tmp / "rootfs"
        rootfs.mkdir()
        for deb in sorted(debs.glob("*.deb")):
            run("dpkg-deb", "-x", str(deb), str(rootfs))
        for path in PRUNE:
            shutil.rmtree(rootfs / path, ignore_errors=True)
        run(str(java_home / "bin" / "jlink"), "--add-modules", ",".join(MODULES), "--strip-debug",
            "--no-man-pages", "--no-header-files", "--output", str(rootfs / "opt" / "java"))
        etc = rootfs / "etc"
        etc.mkdir(exist_ok=True)
        (etc / "passwd").write_text(f"root:x:0:0:root:/root:/sbin/nologin\napp:x:{UID}:{UID}:ModelMarket:/app:/sbin/nologin\n")
        (etc / "group").write_text(f"root:x:0:\napp:x:{UID}:\n")
        (etc / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files dns\n")
        (rootfs / "tmp").mkdir(exist_ok=True)
        (rootfs / "app").mkdir(exist_ok=True)

        layer = tmp / "layer.tar"
        layer_tar(rootfs, layer)
        diff_id = "sha256:" + sha256_file(layer)
        config = {
            "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
            "config": {
                "User": f"{UID}:{UID}",
                "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
                "WorkingDir": "/app",
                "Labels": {
                    "org.opencontainers.image.title": "modelmarket-base",
                    "org.opencontainers.image.description": "jlink Java runtime on Debian bookworm libraries, user 1001",
                    "org.modelmarket.base.key": key,
                    "org.modelmarket.base.jdk": described["jdk"],
                    "org.modelmarket.base.packages": " ".join(f"{p}={v}" for p, v in versions.items()),
                },
            },
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "deploy/images/base/build-base.py"}],
        }
        config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
        manifest = json.dumps([{"Config": "config.json", "RepoTags": [f"modelmarket/base:{key}"],
                                "Layers": ["layer.tar"]}], separators=(",", ":")).encode()
        partial = tmp / "image.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in (("config.json", config_bytes), ("manifest.json", manifest)):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
                tar.addfile(info, io.BytesIO(data))
            info = tar.gettarinfo(str(layer), "layer.tar")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime, info.mode = EPOCH, 0o644
            with open(layer, "rb") as f:
                tar.addfile(info, f)
        os.replace(partial, out)


def ensure(java_home, cache, versions):
    """The archive for these inputs: from the cache, or built now."""
    described = inputs(java_home, versions)
    key = key_of(described)
    jdk = next((l.split("=", 1)[1].strip('"') for l in described["jdk"]["release"].splitlines()
                if l.startswith("JAVA_RUNTIME_VERSION=")), "unknown")
    described["jdk"] = jdk
    out = cache / f"base-{key}.tar"
    if out.exists():
        return out, "cached", jdk
    build(java_home, versions, key, described, out)
    for old in sorted(cache.glob("base-*.tar"), key=lambda p: p.stat().st_mtime)[:-3]:
        old.unlink()  # keep the three newest
    return out, "built", jdk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "modelmarket" / "images"))
    args = parser.parse_args()
    java_home = Path(os.environ.get("JAVA_HOME", ""))
    if not (java_home / "bin" / "jlink").exists():
        sys.exit("build-base: JAVA_HOME must point at a JDK 21+ with jlink (source deploy/jdk.sh)")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time, also across sessions sharing the cache
        versions = candidates(cache)
        try:
            out, state, jdk = ensure(java_home, cache, versions)
        except subprocess.CalledProcessError as e:
            # Most likely the lists name versions the mirror no longer serves (a security update replaced them).
            print(f"build-base: {' '.join(e.cmd[:2])} failed ({e.stderr.strip()[:200]}); refreshing apt's lists",
                  file=sys.stderr)
            run("apt-get", "update", "-qq")
            (cache / "candidates.json").unlink(missing_ok=True)
            versions = candidates(cache)
            out, state, jdk = ensure(java_home, cache, versions)
        link = cache / "modelmarket-base.tar"
        tmp_link = cache / f".modelmarket-base.{os.getpid()}"
        tmp_link.unlink(missing_ok=True)
        tmp_link.symlink_to(out.name)
        os.replace(tmp_link, link)
        print(f"build-base: {state} {out} (JDK {jdk}, {' '.join(f'{p}={v}' for p, v in versions.items())})")


if __name__ == "__main__":
    main()
