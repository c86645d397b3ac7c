// Copies GOV.UK Frontend's runtime files and our own beside the built CSS, and checks the
// built CSS only points at files that exist. Node built-ins only.
//
//   node build.mjs copy    empty ../dist, then copy JavaScript, images and manifests into it
//   node build.mjs check   fail if ../dist/app.css references a missing or absolute url,
//                          or GDS Transport (licensed for GOV.UK only)
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "..", "dist");
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");

function copyTree(from, to, skip = () => false) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    if (skip(source)) continue;
    if (statSync(source).isDirectory()) {
      copyTree(source, target, skip);
    } else {
      copyFileSync(source, target);
    }
  }
}

function copy() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });

  // app.js imports "./govuk-frontend.min.js", so the two sit side by side.
  copyFileSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
  copyFileSync(join(here, "js", "app.js"), join(dist, "app.js"));
  // Page-specific enhancements, loaded only by the pages that use them.
  copyFileSync(join(here, "js", "form-draft.js"), join(dist, "form-draft.js"));
  copyFileSync(join(here, "js", "upload-progress.js"), join(dist, "upload-progress.js"));

  // Images (and the brand refresh's copies) that GOV.UK Frontend's CSS may reference,
  // but not the GDS Transport fonts: the council uses Arial.
  copyTree(join(govuk, "assets"), join(dist, "assets"), (source) =>
    source.startsWith(join(govuk, "assets", "fonts")),
  );

  // The council's own images (favicon).
  copyTree(join(here, "images"), join(dist, "images"));
}

function check() {
  const cssPath = join(dist, "app.css");
  const css = readFileSync(cssPath, "utf8");
  const problems = [];

  if (/GDS Transport/i.test(css)) problems.push("app.css mentions GDS Transport");
  if (/@font-face/.test(css)) problems.push("app.css declares a @font-face");
  if (/sourceMappingURL/.test(css)) problems.push("app.css refers to a source map");

  for (const [, raw] of css.matchAll(/url\(\s*([^)]*?)\s*\)/g)) {
    const url = raw.replace(/^["']|["']$/g, "");
    if (url.startsWith("data:")) continue;
    if (/^([a-z]+:)?\/\//i.test(url) || url.startsWith("/")) {
      problems.push(`absolute url: ${url}`);
      continue;
    }
    const file = resolve(dirname(cssPath), url.split(/[?#]/)[0]);
    if (!existsSync(file)) problems.push(`missing file for url: ${url}`);
  }

  for (const required of ["app.css", "app.js", "govuk-frontend.min.js", "assets/manifest.json"]) {
    if (!existsSync(join(dist, required))) problems.push(`missing ${required}`);
  }

  if (problems.length) {
    console.error(problems.map((problem) => `build check: ${problem}`).join("\n"));
    process.exit(1);
  }
  console.log("build check: dist/app.css urls all resolve; no GDS Transport");
}

const command = process.argv[2];
if (command === "copy") copy();
else if (command === "check") check();
else {
  console.error("usage: node build.mjs copy|check");
  process.exit(2);
}
