import { z } from "zod";
import { FieldSpec, problem } from "./field";

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

export const REGION_MESSAGE = "is not an AWS region name (like us-east-1)";

/** region: of the load balancer and the certificate (ACM certificates for an ALB live in the ALB's region). */
export const region: FieldSpec<"region"> = {
  schema: z.string(),
  rules: (value) => (isRegion(value) ? [] : [problem("region", value, REGION_MESSAGE)]),
};
