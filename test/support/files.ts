import * as fs from "fs";
import * as path from "path";

/** Every file below a directory with its content, to compare before and after. */
export function snapshotTree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((file) => fs.statSync(path.join(dir, file)).isFile())
      .map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]),
  );
}
