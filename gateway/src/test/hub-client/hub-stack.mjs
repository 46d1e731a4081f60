// The real @huggingface/hub client on the whole local stack, one step per run; prints what it saw as one JSON line.
// Usage: node hub-stack.mjs <step> '<json parameters>'   (steps: publish, read, after, snapshot; see each below)
// Called by deploy/launcher's HubJsClientOnTheStack (MarketplaceIT), which checks every value against the services'
// own APIs; nothing is asserted here. Every request the client makes goes through a recording fetch, so the test also
// sees the pages, ranges and transfers the client chose.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createRepo,
  downloadFile,
  listFiles,
  listModels,
  modelInfo,
  snapshotDownload,
  uploadFiles,
  whoAmI,
} from "@huggingface/hub";

const [step, json] = process.argv.slice(2);
const p = JSON.parse(json ?? "{}");
const hubUrl = p.hubUrl;
const out = { step };
const requests = [];

// The client's own fetch, recorded: method, URL, request Range, status, the response headers the test looks at, and
// what an LFS batch answer offered (basic or multipart, how many parts).
async function recording(input, init = {}) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const headers = new Headers(init.headers ?? {});
  const response = await fetch(input, init);
  const seen = {
    method: init.method ?? "GET",
    url,
    range: headers.get("Range"),
    authorized: headers.has("Authorization"),
    status: response.status,
    contentRange: response.headers.get("Content-Range"),
    link: response.headers.get("Link"),
    errorCode: response.headers.get("X-Error-Code"),
  };
  if (url.endsWith("/info/lfs/objects/batch") && response.ok) {
    const body = await response.clone().json();
    seen.batch = {
      transfer: body.transfer ?? null,
      objects: body.objects.map((o) => ({
        size: o.size,
        upload: !!o.actions?.upload,
        chunkSize: o.actions?.upload?.header?.chunk_size ?? null,
        parts: Object.keys(o.actions?.upload?.header ?? {}).filter((k) => /^[0-9]+$/.test(k)).length,
      })),
    };
  }
  requests.push(seen);
  return response;
}

const auth = (token) => (token ? { accessToken: token } : {});
const common = (token) => ({ hubUrl, fetch: recording, ...auth(token) });
const model = (name) => ({ type: "model", name });
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

async function attempt(key, fn) {
  try {
    out[key] = await fn();
  } catch (e) {
    out[key] = { error: String(e?.message ?? e), statusCode: e?.statusCode ?? null };
  }
}

async function download(name, path, token) {
  const blob = await downloadFile({ ...common(token), repo: model(name), path });
  if (blob === null) {
    return "null";
  }
  const bytes = Buffer.from(await blob.arrayBuffer());
  return { size: bytes.length, sha256: sha256(bytes) };
}

async function walk(folder) {
  const files = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() || entry.isSymbolicLink()) {
      const full = join(entry.parentPath ?? entry.path, entry.name);
      files[relative(folder, full)] = sha256(await readFile(full));
    }
  }
  return files;
}

// publish {hubUrl, token, repo, folder}: whoAmI, createRepo, uploadFiles of the whole folder (one commit), then each
// uploaded file downloaded back.
async function publish() {
  await attempt("whoami", async () => {
    const me = await whoAmI({ ...common(p.token) });
    return {
      name: me.name,
      type: me.type,
      role: me.auth?.accessToken?.role ?? null,
      orgs: (me.orgs ?? []).map((org) => ({ name: org.name, type: org.type, fullname: org.fullname })),
    };
  });
  await attempt("created", async () => createRepo({ ...common(p.token), repo: model(p.repo) }));
  await attempt("upload", async () => {
    const result = await uploadFiles({
      ...common(p.token),
      repo: model(p.repo),
      commitTitle: "Publish with @huggingface/hub",
      // A folder URL with a trailing slash: its files land at the repository's root, sub-folders kept.
      files: [pathToFileURL(p.folder.replace(/\/?$/, "/"))],
    });
    return { oid: result?.commit?.oid ?? null, url: result?.commit?.url ?? null };
  });
  out.lfs = requests.filter((r) => r.batch).map((r) => r.batch);
  out.puts = requests.filter((r) => r.method === "PUT").map((r) => ({ status: r.status, authorized: r.authorized }));
  out.downloaded = {};
  for (const path of Object.keys(await walk(p.folder))) {
    await attempt("last", async () => download(p.repo, path, p.token));
    out.downloaded[path] = out.last;
  }
  delete out.last;
}

// read {hubUrl, token, author, repo, file, cut, gated, paid, protectedFile}: the buyer's side.
async function read() {
  await attempt("list", async () => {
    const names = [];
    for await (const m of listModels({ ...common(p.token), search: { owner: p.author } })) {
      names.push(m.name);
    }
    return names;
  });
  out.listPages = requests
    .filter((r) => new URL(r.url).pathname === "/api/models")
    .map((r) => ({ url: r.url, status: r.status, link: r.link }));
  await attempt("info", async () => {
    const info = await modelInfo({
      ...common(p.token),
      name: p.repo,
      additionalFields: ["sha", "siblings", "library_name", "tags"],
    });
    return {
      name: info.name,
      sha: info.sha,
      gated: info.gated,
      private: info.private,
      siblings: (info.siblings ?? []).map((s) => s.rfilename),
    };
  });
  await attempt("tree", async () => {
    const entries = [];
    for await (const e of listFiles({ ...common(p.token), repo: model(p.repo), recursive: true })) {
      entries.push({ type: e.type, path: e.path, size: e.size, lfs: e.lfs?.oid ?? null });
    }
    return entries;
  });
  await attempt("download", async () => download(p.repo, p.file, p.token));
  // A download cut after p.cut bytes and resumed from there: two ranged reads of the same lazy blob.
  await attempt("resumed", async () => {
    const before = requests.length;
    const blob = await downloadFile({ ...common(p.token), repo: model(p.repo), path: p.file });
    const first = Buffer.from(await blob.slice(0, p.cut).arrayBuffer());
    const rest = Buffer.from(await blob.slice(p.cut, blob.size).arrayBuffer());
    return {
      size: blob.size,
      firstSize: first.length,
      sha256: sha256(Buffer.concat([first, rest])),
      reads: requests.slice(before).map((r) => ({ range: r.range, status: r.status, contentRange: r.contentRange })),
    };
  });
  await attempt("missing", async () => download(p.repo, "no/such/file.bin", p.token));
  for (const key of ["gated", "paid"]) {
    await attempt(key + "Info", async () => {
      const info = await modelInfo({ ...common(p.token), name: p[key] });
      return { name: info.name, gated: info.gated };
    });
    await attempt(key, async () => download(p[key], p.protectedFile, p.token));
    await attempt(key + "Anonymous", async () => download(p[key], p.protectedFile, null));
  }
  out.refusals = requests
    .filter((r) => r.errorCode === "GatedRepo")
    .map((r) => ({ url: r.url, status: r.status, authorized: r.authorized }));
}

// after {hubUrl, token, gated, paid, protectedFile}: the same downloads once the terms are accepted / subscribed.
async function after() {
  await attempt("gated", async () => download(p.gated, p.protectedFile, p.token));
  await attempt("paid", async () => download(p.paid, p.protectedFile, p.token));
}

// snapshot {hubUrl, token, repo, revision, cacheDir}: snapshotDownload of a named version into a fresh cache.
async function snapshot() {
  await attempt("snapshot", async () => {
    const folder = await snapshotDownload({ ...common(p.token), repo: model(p.repo), revision: p.revision, cacheDir: p.cacheDir });
    return { folder, files: await walk(folder) };
  });
}

const steps = { publish, read, after, snapshot };
if (!steps[step]) {
  console.error(`unknown step ${step}; steps: ${Object.keys(steps).join(", ")}`);
  process.exit(2);
}
await steps[step]();
console.log(JSON.stringify(out));
