import { findSourceMap } from "module";

/** A source map entry as Node 20 returns it (`{}` when the position is not mapped). */
interface MapEntry {
  readonly originalLine?: number;
  readonly originalColumn?: number;
}

type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/**
 * Runs `build` with stack traces formatted cheaply. cdktf records the creation stack of every token it makes
 * (`captureStackTrace` in cdktf/lib/tokens/private/stack-trace.js), and with source maps on (tsx turns them on so
 * errors point into .ts files) Node maps every frame of every one of those stacks through a source map: measured
 * ~30% of a 100-environment synth. This formatter maps only the frames of TypeScript files (ours and the user's),
 * and prints library frames (cdktf, constructs, the provider: compiled JavaScript) as V8 reports them.
 *
 * cdktf's own creation stacks (not Errors) keep only those TypeScript frames. An Error's stack is formatted when it
 * is first read, not when it is made, so an error thrown inside `build` and printed after it gets Node's full
 * formatting again; one read inside gets every frame, the TypeScript ones mapped.
 */
export function withCheapStackTraces<T>(build: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = formatMappingTypeScriptOnly;
  try {
    return build();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

const formatMappingTypeScriptOnly: Formatter = (error, frames) => {
  // cdktf's captureStackTrace passes a plain object, not an Error: a creation stack kept for a later message. Only
  // the TypeScript frames (where the user's or our code made the token) are worth their formatting cost there.
  if (!(error instanceof Error)) return ["", ...frames.filter(isTypeScriptFrame).map((frame) => `    at ${describeFrame(frame)}`)].join("\n");
  const lines = frames.map((frame) => `    at ${describeFrame(frame)}`);
  return [`${error.name}: ${error.message}`, ...lines].join("\n");
};

function isTypeScriptFrame(frame: NodeJS.CallSite): boolean {
  const file = frame.getFileName();
  return file !== undefined && file !== null && /\.[cm]?tsx?$/.test(file);
}

/** Mapped TypeScript frames by generated position: the same few call sites make the tokens of every stack. */
const mappedFrames = new Map<string, string>();

function describeFrame(frame: NodeJS.CallSite): string {
  if (!isTypeScriptFrame(frame)) return frame.toString();
  const file = frame.getFileName()!;
  const name = frame.getFunctionName() ?? frame.getMethodName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  const key = `${name} ${file}:${line}:${column}`;
  let described = mappedFrames.get(key);
  if (described === undefined) {
    described = mapFrame(file, name, line, column);
    mappedFrames.set(key, described);
  }
  return described;
}

function mapFrame(file: string, name: string | null, line: number | null, column: number | null): string {
  // findEntry takes and returns 0-based positions; stack frames are 1-based.
  const entry = line === null || column === null ? undefined : (findSourceMap(file)?.findEntry(line - 1, column - 1) as MapEntry | undefined);
  const position =
    entry?.originalLine !== undefined && entry.originalColumn !== undefined
      ? `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
      : `${file}:${line}:${column}`;
  return name ? `${name} (${position})` : position;
}
