// Module hook for the fast project's worker threads (registered by test/support/light-runner-setup.cjs): jest-light-runner
// loads test and setup files with import(), and Node 20 has no TypeScript loader for a worker thread (tsx registers its
// ESM loader on the main thread only). A .ts file is CommonJS in this package, so its import() is handed to the
// CommonJS loader, where the .ts require hook compiles it, and its imports are plain require() calls from then on.
export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && new URL(url).pathname.endsWith(".ts")) return { format: "commonjs", shortCircuit: true };
  return nextLoad(url, context);
}
