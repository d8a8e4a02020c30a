import { z } from "zod";
import { FieldProblem, FieldSpec, problem, templateProblem } from "./field";

/**
 * tags: AWS's tag limits (128-character keys, 256-character values, `aws:` reserved), checked before AWS rejects them.
 * Two keys and values AWS would take cannot pass through the stack: `__proto__` (cdktf copies tags into a plain object
 * by assignment, cdktf/lib/runtime.js hashMapper, where that key sets the prototype and the tag is silently dropped),
 * and text with `${` or `%{` (a template to Terraform).
 */
export const tags: FieldSpec<"tags"> = {
  schema: z.record(z.string()).optional(),
  rules: (value) => {
    const problems: FieldProblem[] = [];
    for (const [key, tagValue] of Object.entries(value)) {
      const path = `tags[${JSON.stringify(key)}]`;
      if (key.length === 0 || key.length > 128) problems.push(problem(path, key, "tag key must be 1-128 characters"));
      if (key.toLowerCase().startsWith("aws:")) problems.push(problem(path, key, "tag keys starting with aws: are reserved"));
      if (tagValue.length > 256) problems.push(problem(path, tagValue, "tag value must be at most 256 characters"));
      if (key === "__proto__") problems.push(problem(path, key, "tag key __proto__ cannot be synthesized: cdktf would silently drop the tag"));
      for (const text of [key, tagValue]) {
        const template = templateProblem(path, text);
        if (template !== undefined) problems.push(template);
      }
    }
    return problems;
  },
};
