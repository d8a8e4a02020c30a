import { z } from "zod";
import { FieldProblem, FieldSpec, problem } from "./field";

/** tags: AWS's tag limits (128-character keys, 256-character values, `aws:` reserved), checked before AWS rejects them. */
export const tags: FieldSpec<"tags"> = {
  schema: z.record(z.string()).optional(),
  rules: (value) => {
    const problems: FieldProblem[] = [];
    for (const [key, tagValue] of Object.entries(value)) {
      const path = `tags[${JSON.stringify(key)}]`;
      if (key.length === 0 || key.length > 128) problems.push(problem(path, key, "tag key must be 1-128 characters"));
      if (key.toLowerCase().startsWith("aws:")) problems.push(problem(path, key, "tag keys starting with aws: are reserved"));
      if (tagValue.length > 256) problems.push(problem(path, tagValue, "tag value must be at most 256 characters"));
    }
    return problems;
  },
};
