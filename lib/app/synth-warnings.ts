import * as fs from "fs";
import * as path from "path";

interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

/**
 * Prints the warnings of the last synth (for example every TLS guard suppression with its reason) the way the cdktf
 * CLI prints them, `WARN [<construct path>]: <message>`, and returns how many there were. The cdktf CLI reads them
 * from manifest.json after running the app; `npm run synth` runs the app without the CLI, so main.ts calls this.
 */
export function reportSynthWarnings(outdir: string = process.env.CDKTF_OUTDIR ?? "cdktf.out"): number {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { annotations?: ManifestAnnotation[] }>;
  };
  const warnings = Object.values(manifest.stacks)
    .flatMap((stack) => stack.annotations ?? [])
    .filter((annotation) => annotation.level === "@cdktf/warn");
  for (const warning of warnings) process.stderr.write(`WARN [${warning.constructPath}]: ${warning.message}\n`);
  return warnings.length;
}
