import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const FRONTEND = join(__dirname, "../../..");

/** The platform's name as the deployment sets it by default (template.yaml, parameter PlatformName). */
function platformName(): string {
  const template = readFileSync(join(FRONTEND, "../template.yaml"), "utf8");
  const found = /^ {2}PlatformName:\n(?: {4}.*\n)*? {4}Default: *"?([^"\n]+?)"?\n/m.exec(template);
  if (!found?.[1]) throw new Error("template.yaml has no PlatformName default");
  return found[1];
}

/** Tests and their fixtures may name it; the API's document and its types are the back end's, generated into src/api. */
const skipped = (path: string) => /\.test\.tsx?$|\.fixture\.ts$/.test(path) || ["src/api/openapi.json", "src/api/schema.d.ts"].includes(path);

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

describe("the platform's name", () => {
  it("is in no file the dashboard is built from: every page takes its name from the brand", () => {
    const name = platformName();
    expect(name.length).toBeGreaterThan(2);
    const sources = ["src", "public", "index.html"].flatMap((part) => filesUnder(join(FRONTEND, part))).map((path) => relative(FRONTEND, path));
    expect(sources.length).toBeGreaterThan(100);
    const naming = sources.filter((path) => !skipped(path) && readFileSync(join(FRONTEND, path), "utf8").toLowerCase().includes(name.toLowerCase()));
    expect(naming).toEqual([]);
  });
});
