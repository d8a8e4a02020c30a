/**
 * The benchmark's baseline: the cdktf project template's idiom for the same app. Provider classes come from the
 * package index `@cdktf/provider-aws` (which loads every one of its resource classes) and the app runs under a
 * type-checked `npx ts-node` (the template's cdktf.json). scripts/bench.js compares main.ts against this.
 */
import { provider } from "@cdktf/provider-aws";
import { environments } from "../../environments";
import { extend } from "../../extend";
import { synthesizeEnvironments } from "../../lib";

// Used, so the barrel import is neither elided by TypeScript nor skipped at run time.
if (typeof provider.AwsProvider !== "function") throw new Error("@cdktf/provider-aws did not load");
synthesizeEnvironments(environments, { extend });
