// Publishes with the real @huggingface/hub client (createRepo, uploadFiles) and prints what it got as one JSON line.
// Usage: node hub-upload.mjs <hubUrl> <newRepo> <repo> <accessToken>
// The client only takes hf_ tokens (utils/checkCredentials.ts): HubJsUploadTest gives it a real gateway API token.
import { createHash } from "node:crypto";
import { createRepo, uploadFiles } from "@huggingface/hub";

const [hubUrl, newRepo, name, accessToken] = process.argv.slice(2);
const common = { hubUrl, accessToken };
const out = {};

async function attempt(key, fn) {
  try {
    out[key] = await fn();
  } catch (e) {
    out[key] = { error: String(e?.message ?? e), statusCode: e?.statusCode ?? null };
  }
}

// Deterministic content: the test recomputes the same bytes.
function bytes(size, seed) {
  const data = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    data[i] = x & 0xff;
  }
  return data;
}
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

await attempt("created", async () => createRepo({ ...common, repo: { type: "model", name: newRepo } }));
await attempt("again", async () => createRepo({ ...common, repo: { type: "model", name } }));

const readme = new TextEncoder().encode("# Tiny\n\nUploaded by @huggingface/hub.\n");
const weights = bytes(70_001, 1);
const big = bytes(3 * 102_400 + 4_321, 2);
await attempt("upload", async () => {
  const result = await uploadFiles({
    ...common,
    repo: { type: "model", name },
    commitTitle: "Upload with the JS client",
    files: [
      { path: "README.md", content: new Blob([readme]) },
      { path: "model.safetensors", content: new Blob([weights]) },
      { path: "sub/big.bin", content: new Blob([big]) },
    ],
  });
  return { oid: result?.commit?.oid ?? null, url: result?.commit?.url ?? null };
});
out.sha256 = { "README.md": sha256(readme), "model.safetensors": sha256(weights), "sub/big.bin": sha256(big) };

console.log(JSON.stringify(out));
