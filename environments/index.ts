import { EnvironmentConfig } from "../lib";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

/** Every environment `main.ts` synthesizes, one stack `tls-<name>` each. */
export const environments: EnvironmentConfig[] = [dev, staging, prod];
