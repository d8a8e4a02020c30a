import * as fs from "fs";
import * as path from "path";

type Loader = (module: NodeJS.Module & { _compile(content: string, filename: string): void }, filename: string) => void;
const extensions = (require("module") as { _extensions: Record<string, Loader> })._extensions;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * Makes the installed CommonJS packages (cdktf, constructs, the provider, zod) load the way plain Node loads them,
 * while our TypeScript keeps going through tsx. Call it before requiring them (main.ts does, first thing).
 *
 * Why: `node --require tsx/cjs` also routes every `.js` file through tsx, which scans each one for ESM syntax, and
 * tsx turns source maps on, so Node also reads the inline source map of every cdktf and provider file. Measured on
 * the 3-environment app (user CPU): 0.44 s with tsx as is, 0.29 s like this, 0.21 s for the compiled floor. Our
 * own .ts files keep their source maps, so errors still point at .ts lines; library frames show their .js lines.
 *
 * Only `.js` files below a node_modules directory whose package is not `"type": "module"` are affected; anything
 * else (ESM packages, .ts, .mjs/.cjs) still goes to the previous loader. Without tsx (compiled JS) it changes
 * nothing that matters: Node's own loader does the same for those files.
 */
export function loadDependenciesAsPlainCommonJs(): void {
  const previous = extensions[".js"];
  if ((previous as { plain?: boolean }).plain) return;
  const plain: Loader = (module, filename) => {
    if (!filename.includes(NODE_MODULES) || packageType(path.dirname(filename)) === "module") return previous(module, filename);
    const content = fs.readFileSync(filename, "utf8");
    const sourceMaps = process.sourceMapsEnabled;
    if (sourceMaps) process.setSourceMapsEnabled(false);
    try {
      module._compile(content, filename);
    } finally {
      if (sourceMaps) process.setSourceMapsEnabled(true);
    }
  };
  extensions[".js"] = Object.assign(plain, { plain: true });
}

const typeByDirectory = new Map<string, string | undefined>();

/** The `type` of the nearest package.json above a directory (cached per directory). */
function packageType(directory: string): string | undefined {
  if (typeByDirectory.has(directory)) return typeByDirectory.get(directory);
  const manifest = path.join(directory, "package.json");
  let type: string | undefined;
  if (fs.existsSync(manifest)) {
    type = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { type?: string }).type ?? "commonjs";
  } else {
    const parent = path.dirname(directory);
    type = parent === directory ? undefined : packageType(parent);
  }
  typeByDirectory.set(directory, type);
  return type;
}
