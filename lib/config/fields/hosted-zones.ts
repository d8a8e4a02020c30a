import { z } from "zod";
import { dnsNameProblems } from "../../aws/dns-names";
import { FieldProblem, FieldSpec, problem } from "./field";

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** The apexes whose names are valid (what other fields' zone-membership rules compare against). */
export function validZoneApexes(zones: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(zones).filter((apex) => dnsNameProblems(apex, { allowWildcard: false }).length === 0);
}

/** hostedZones: apex -> zone ID. IDs are bare (`Z...`), the form the provider's zone_id takes. */
export const hostedZones: FieldSpec<"hostedZones"> = {
  schema: z.record(z.string()),
  rules: (value) => {
    const problems: FieldProblem[] = [];
    if (Object.keys(value).length === 0) problems.push(problem("hostedZones", value, "must name at least one hosted zone"));
    for (const [apex, id] of Object.entries(value)) {
      const path = `hostedZones[${JSON.stringify(apex)}]`;
      for (const text of dnsNameProblems(apex, { allowWildcard: false })) problems.push(problem(path, apex, `zone apex ${text}`));
      if (!HOSTED_ZONE_ID.test(id)) {
        problems.push(
          problem(
            path,
            id,
            id.startsWith("/hostedzone/")
              ? "hosted zone ID must be the bare ID, without the /hostedzone/ prefix"
              : "is not a Route53 hosted zone ID (Z followed by uppercase letters and digits)",
          ),
        );
      }
    }
    return problems;
  },
};
