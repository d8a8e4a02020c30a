import { StackExtension } from "./lib";

/**
 * Your own resources in each environment's stack. main.ts calls this once per environment, after the TLS edge
 * (certificate, listeners) is built and before synth, so what you add here:
 * - can use the stack's parts (`stack.httpsListener.arn`, `stack.certificate.certificateArn`, `stack.config`);
 * - is checked by the stack's TLS guard (a weak listener fails synth; `suppressTlsGuard` with a reason exempts one);
 * - is written all-or-nothing with everything else: an error here leaves cdktf.out as it was.
 * See docs/configuration.md, "Your own resources in each stack", for a worked example.
 */
export const extend: StackExtension = () => {
  // Nothing yet.
};
