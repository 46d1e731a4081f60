// Downloads one file with the real @huggingface/hub client the way users do: downloadFileToCacheDir (paths-info, the
// Range probe, then the body streamed to a blob file in the cache, linked into the snapshot folder).
// Usage: node hub-download.mjs <hubUrl> <repo> <path> <accessToken|-> <cacheDir>
// Prints one JSON line: {seconds, bytes, file}. Used by gateway/bench/hub-resolve.sh.
import { stat } from "node:fs/promises";
import { downloadFileToCacheDir } from "@huggingface/hub";

const [hubUrl, name, path, token, cacheDir] = process.argv.slice(2);
const begin = process.hrtime.bigint();
const file = await downloadFileToCacheDir({
  hubUrl,
  repo: { type: "model", name },
  path,
  cacheDir,
  ...(token && token !== "-" ? { accessToken: token } : {}),
});
const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
console.log(JSON.stringify({ seconds, bytes: (await stat(file)).size, file }));
