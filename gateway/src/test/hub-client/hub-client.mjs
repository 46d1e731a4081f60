// Runs the real @huggingface/hub client against a ModelMarket gateway and prints what it saw as one JSON line.
// Usage: node hub-client.mjs <hubUrl> <repo> <gatedRepo> [accessToken]
// Called by the gateway's HubJsClientTest, which checks every value (nothing is asserted here).
import { createHash } from "node:crypto";
import { listModels, modelInfo, listFiles, downloadFile, fileExists, pathsInfo } from "@huggingface/hub";

const [hubUrl, name, gatedName, accessToken] = process.argv.slice(2);
const repo = { type: "model", name };
const auth = accessToken ? { accessToken } : {};
const out = {};

async function attempt(key, fn) {
  try {
    out[key] = await fn();
  } catch (e) {
    out[key] = { error: String(e?.message ?? e), statusCode: e?.statusCode ?? null };
  }
}

await attempt("list", async () => {
  const names = [];
  for await (const m of listModels({ hubUrl, search: { owner: "acme", query: "tiny" }, limit: 3, sort: "downloads" })) {
    names.push({ name: m.name, id: m.id, task: m.task ?? null, gated: m.gated, updatedAt: m.updatedAt.toISOString() });
  }
  return names;
});

// additionalFields become one expand each (filePaths is expand=siblings): the client copies them from the answer.
await attempt("listExpanded", async () => {
  const models = [];
  const additionalFields = ["filePaths", "cardData", "sha", "library_name", "tags"];
  for await (const m of listModels({ hubUrl, search: { owner: "acme", query: "tiny" }, limit: 1, additionalFields, ...auth })) {
    models.push({ name: m.name, id: m.id, filePaths: m.filePaths ?? null, license: m.cardData?.license ?? null,
      sha: m.sha ?? null, library: m.library_name ?? null, tags: m.tags ?? null, downloads: m.downloads ?? null });
  }
  return models;
});

await attempt("info", async () => {
  const info = await modelInfo({ hubUrl, name, additionalFields: ["sha", "library_name", "cardData", "tags"], ...auth });
  return { name: info.name, sha: info.sha, task: info.task ?? null, library: info.library_name, license: info.cardData?.license ?? null };
});

await attempt("tree", async () => {
  const entries = [];
  for await (const e of listFiles({ hubUrl, repo, recursive: true, ...auth })) {
    entries.push({ type: e.type, path: e.path, size: e.size, lfs: e.lfs?.oid ?? null });
  }
  return entries;
});

await attempt("pathsInfo", async () => {
  const infos = await pathsInfo({ hubUrl, repo, paths: ["config.json"], expand: true, ...auth });
  return infos.map((i) => ({ path: i.path, commit: i.lastCommit?.id ?? null }));
});

await attempt("download", async () => {
  const blob = await downloadFile({ hubUrl, repo, path: "sub/dir/model.safetensors", ...auth });
  const bytes = Buffer.from(await blob.arrayBuffer());
  return { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
});

await attempt("range", async () => {
  const blob = await downloadFile({ hubUrl, repo, path: "sub/dir/model.safetensors", ...auth });
  const part = Buffer.from(await blob.slice(1000, 1100).arrayBuffer());
  return { size: part.length, sha256: createHash("sha256").update(part).digest("hex") };
});

await attempt("missing", async () => {
  const blob = await downloadFile({ hubUrl, repo, path: "nope.bin", ...auth });
  return blob === null ? "null" : "blob";
});

await attempt("exists", async () => ({
  config: await fileExists({ hubUrl, repo, path: "config.json", ...auth }),
  nope: await fileExists({ hubUrl, repo, path: "nope.bin", ...auth }),
}));

await attempt("gated", async () => {
  const blob = await downloadFile({ hubUrl, repo: { type: "model", name: gatedName }, path: "sub/dir/model.safetensors", ...auth });
  return { size: blob.size };
});

console.log(JSON.stringify(out));
