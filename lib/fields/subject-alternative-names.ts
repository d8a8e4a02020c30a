import { z } from "zod";
import { certificateNameProblems, nameCountProblems } from "./certificate-names";
import { FieldProblem, FieldSpec, problem } from "./field";

/** subjectAlternativeNames: each name valid and under a zone, no repeats (of each other or domainName), within the quota. */
export const subjectAlternativeNames: FieldSpec<"subjectAlternativeNames"> = {
  schema: z.array(z.string()).optional(),
  rules: (value, context) => {
    const problems: FieldProblem[] = [];
    const domain = typeof context.raw.domainName === "string" ? context.raw.domainName : undefined;
    const firstPath = new Map<string, string>(domain === undefined ? [] : [[domain, "domainName"]]);
    value.forEach((name, index) => {
      const path = `subjectAlternativeNames[${index}]`;
      problems.push(...certificateNameProblems(path, name, context));
      if (firstPath.has(name)) problems.push(problem(path, name, `duplicate of ${firstPath.get(name)}`));
      else firstPath.set(name, path);
    });
    problems.push(...nameCountProblems((domain === undefined ? 0 : 1) + value.length, context));
    return problems;
  },
};
