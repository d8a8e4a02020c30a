/**
 * The README and docs/ cannot drift from the code: links and anchors resolve, named npm scripts and repository paths
 * exist, and the field reference lists exactly the fields of EnvironmentConfig. The checks and the rule for what
 * counts as a repository path are in ./docs-check.ts; the second half of this file shows each check failing on a
 * seeded defect.
 */
import * as fs from "fs";
import * as path from "path";
import { FIELDS } from "../../lib/config/fields";
import {
  checkDocs,
  Doc,
  documentedFields,
  fieldReferenceProblems,
  FieldSpecOfType,
  formatProblem,
  githubSlug,
  headingText,
  isRepoPath,
  npmScriptsIn,
  RepoView,
  repoPathsIn,
  scanMarkdown,
  Slugger,
} from "./docs-check";
import { REPO_ROOT } from "../support/project";

/**
 * Paths the docs name that do not exist, on purpose: files the reader is told to create. Each must still be named by
 * the docs and must not exist (checked below), so the list cannot go stale.
 */
const CREATED_BY_THE_READER = new Set([
  "environments/qa.ts", // docs/configuration.md, "Adding an environment", and the README's first deploy
]);

/** README.md and every page in docs/. */
function repositoryDocs(): Doc[] {
  const pages = fs
    .readdirSync(path.join(REPO_ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages].map((doc) => ({ path: doc, text: fs.readFileSync(path.join(REPO_ROOT, doc), "utf8") }));
}

function repository(): RepoView {
  const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  return {
    exists: (repoPath) => fs.existsSync(path.join(REPO_ROOT, repoPath)),
    read: (repoPath) => {
      const file = path.join(REPO_ROOT, repoPath);
      return fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8") : undefined;
    },
    scripts: new Set(Object.keys(scripts)),
  };
}

/**
 * EnvironmentConfig's fields, from the FIELDS table: its type maps every key of EnvironmentConfig (tsc, which
 * `npm run test:fast` runs before jest, refuses a missing or an extra entry), and each field's schema says whether
 * the field may be omitted. Reading it costs nothing in a worker that already loaded lib; parsing the interface with
 * the TypeScript compiler API would first load typescript (0.3-0.7 s, measured 2026-12-04 on this machine).
 */
function typeFields(): FieldSpecOfType[] {
  return Object.entries(FIELDS).map(([name, spec]) => ({ name, required: !spec.schema.isOptional() }));
}

describe("the README and docs/", () => {
  const docs = repositoryDocs();
  const { problems, counts } = checkDocs(docs, repository(), { allowMissing: CREATED_BY_THE_READER });
  const ofKind = (kind: string) => problems.filter((p) => p.kind === kind).map(formatProblem);

  test("every relative link and #anchor resolves", () => {
    expect(ofKind("link")).toEqual([]);
    expect(counts.links).toBeGreaterThan(0);
    expect(counts.anchors).toBeGreaterThan(0);
  });

  test("every npm script named exists in package.json", () => {
    expect(ofKind("npm")).toEqual([]);
    expect(counts.npmScripts).toBeGreaterThan(0);
  });

  test("every repository path named in backticks or a shell block exists", () => {
    expect(ofKind("path")).toEqual([]);
    expect(counts.repoPaths).toBeGreaterThan(0);
  });

  test("the paths exempted as created by the reader are named in the docs and do not exist", () => {
    const named = new Set(
      docs.flatMap((doc) => {
        const scan = scanMarkdown(doc.text);
        return [...scan.codeSpans, ...scan.shellLines].flatMap((span) => repoPathsIn(span.text));
      }),
    );
    for (const created of CREATED_BY_THE_READER) {
      expect({ created, named: named.has(created), exists: fs.existsSync(path.join(REPO_ROOT, created)) }).toEqual({ created, named: true, exists: false });
    }
  });

  test("the field reference lists exactly the fields of EnvironmentConfig, and which are required", () => {
    const configuration = docs.find((doc) => doc.path === "docs/configuration.md")!;
    const fields = typeFields();
    expect(fields.length).toBeGreaterThan(0);
    expect(fieldReferenceProblems(configuration, fields).map(formatProblem)).toEqual([]);
    expect(documentedFields(configuration).fields.map((f) => f.name).sort()).toEqual(fields.map((f) => f.name).sort());
  });

  test("the README is a front door: at most 300 lines, linking every page in docs/", () => {
    const readme = docs.find((doc) => doc.path === "README.md")!;
    expect(readme.text.split("\n").length).toBeLessThanOrEqual(300);
    const linked = new Set(scanMarkdown(readme.text).links.map((link) => link.text.replace(/#.*$/, "")));
    const pages = docs.map((doc) => doc.path).filter((doc) => doc.startsWith("docs/"));
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
    expect(pages.length).toBeGreaterThan(0);
  });
});

describe("GitHub heading anchors", () => {
  test("lowercase, punctuation dropped except - and _, each space a hyphen", () => {
    expect(githubSlug("Versions, and the cdktf sunset")).toBe("versions-and-the-cdktf-sunset");
    expect(githubSlug("CI/CD")).toBe("cicd");
    expect(githubSlug("Timeouts & retries")).toBe("timeouts--retries");
    expect(githubSlug("TLS ≥ 1.2 (default)")).toBe("tls--12-default");
    expect(githubSlug("What's new? It's `here`!")).toBe("whats-new-its-here");
    expect(githubSlug("snake_case and kebab-case")).toBe("snake_case-and-kebab-case");
    expect(githubSlug("Ünïcode Straße")).toBe("ünïcode-straße");
    expect(githubSlug("🚀 Launch")).toBe("-launch");
    expect(githubSlug("  two  spaces ")).toBe("--two--spaces-");
  });

  test("take the rendered text: code spans keep their content, links their text, markup goes", () => {
    expect(headingText("TLS edge plan: `tls-ci`")).toBe("TLS edge plan: tls-ci");
    expect(githubSlug(headingText("TLS edge plan: `tls-ci`"))).toBe("tls-edge-plan-tls-ci");
    expect(headingText("From `environments/` to `cdk.tf.json`")).toBe("From environments/ to cdk.tf.json");
    expect(githubSlug(headingText("From `environments/` to `cdk.tf.json`"))).toBe("from-environments-to-cdktfjson");
    expect(headingText("The [guard](security.md#the-tls-guard) and **its** _rules_")).toBe("The guard and its rules");
    expect(headingText("`a_b` and snake_case_name stay")).toBe("a_b and snake_case_name stay");
    expect(headingText("`` code with ` inside ``")).toBe("code with ` inside");
    expect(headingText("Escaped \\* star <br/> tag")).toBe("Escaped * star  tag");
  });

  test("a repeated heading gets -1, -2, counting the slugs already taken", () => {
    const slugger = new Slugger();
    expect(["Usage", "Usage", "Usage", "Usage-1", "usage"].map((h) => slugger.slug(h))).toEqual(["usage", "usage-1", "usage-2", "usage-1-1", "usage-3"]);
    const other = new Slugger();
    expect(["foo-1", "foo", "foo"].map((h) => other.slug(h))).toEqual(["foo-1", "foo", "foo-2"]);
  });

  test("headings inside code blocks are not headings; setext headings and HTML anchors are anchors", () => {
    const scan = scanMarkdown(["# Title", "```markdown", "### Not a heading", "```", "Setext", "------", '<a name="kept"></a>', "## Title"].join("\n"));
    expect(scan.headings.map((h) => h.slug)).toEqual(["title", "setext", "title-1"]);
    expect(scan.htmlAnchors).toEqual(["kept"]);
  });
});

/** An in-memory repository: the given files (directories are their prefixes) and package.json scripts. */
function memoryRepo(files: Record<string, string>, scripts: string[] = []): RepoView {
  return {
    exists: (repoPath) => repoPath === "" || repoPath in files || Object.keys(files).some((file) => file.startsWith(`${repoPath}/`)),
    read: (repoPath) => files[repoPath],
    scripts: new Set(scripts),
  };
}

function problemsOf(docs: Record<string, string>, repo: RepoView, allowMissing?: Set<string>): string[] {
  return checkDocs(
    Object.entries(docs).map(([doc, text]) => ({ path: doc, text })),
    repo,
    { allowMissing },
  ).problems.map(formatProblem);
}

describe("the docs checker on seeded defects", () => {
  const files = {
    "README.md": "# Project\n",
    "docs/guide.md": "# Guide\n\n## Set up\n\n## Set up\n",
    "lib/index.ts": "",
    "lib/guard/tls-guard.ts": "",
    "main.ts": "",
    "test/fixtures/plans/README.md": "# Plans\n",
  };

  test("passes a document whose links, anchors, scripts and paths are all there", () => {
    const doc = [
      "See [the guide](docs/guide.md), [setting up](docs/guide.md#set-up-1), [here](#intro), [plans](test/fixtures/plans/README.md#plans),",
      "[lib](lib/) and [the web](https://example.com/x#y). Run `npm run synth` or `npm run --silent stacks`, then `npm test`.",
      "",
      "## Intro",
      "",
      "`lib/index.ts`, `lib/guard/tls-guard`, `main.ts`, `lib/*.ts`, `environments/<name>.ts`, `cdktf.out/stacks/x`.",
    ].join("\n");
    expect(problemsOf({ "README.md": doc }, memoryRepo(files, ["synth", "stacks", "test"]))).toEqual([]);
  });

  test("a link to a missing file fails, relative to the linking document", () => {
    expect(problemsOf({ "docs/guide.md": "[x](architecture.md) and [y](../lib/missing.ts)" }, memoryRepo(files))).toEqual([
      "docs/guide.md:1: link architecture.md: docs/architecture.md does not exist",
      "docs/guide.md:1: link ../lib/missing.ts: lib/missing.ts does not exist",
    ]);
  });

  test("a missing #anchor fails, in the same document and in another one", () => {
    const doc = "# Title\n\n[a](#titel) [b](docs/guide.md#set-up-2) [c](docs/guide.md#Set-up) [d](lib/index.ts#x)";
    expect(problemsOf({ "README.md": doc }, memoryRepo(files))).toEqual([
      "README.md:3: link #titel: README.md has no heading with the anchor #titel",
      "README.md:3: link docs/guide.md#set-up-2: docs/guide.md has no heading with the anchor #set-up-2",
      "README.md:3: link docs/guide.md#Set-up: docs/guide.md has no heading with the anchor #Set-up",
      "README.md:3: link lib/index.ts#x: #x points into lib/index.ts, which is not a Markdown file",
    ]);
  });

  test("a link that leaves the repository fails; links inside code are not links", () => {
    const doc = "[up](../../outside.md)\n\n`[not](a-link.md)`\n\n```md\n[not](either.md)\n```\n";
    expect(problemsOf({ "docs/guide.md": doc }, memoryRepo(files))).toEqual(["docs/guide.md:1: link ../../outside.md: points outside the repository"]);
  });

  test("an npm script that package.json lacks fails, with or without --silent, and npm test needs a test script", () => {
    const doc = "`npm run synth`\n\n```sh\nnpm run --silent verfy -- prod\nnpm test\n```\n";
    expect(problemsOf({ "README.md": doc }, memoryRepo(files, ["synth"]))).toEqual([
      'README.md:4: npm script "verfy" is not in package.json\'s scripts',
      'README.md:5: npm script "test" is not in package.json\'s scripts',
    ]);
    expect(npmScriptsIn("npm run -s bench; npm run test:fast && npm start")).toEqual(["bench", "test:fast", "start"]);
  });

  test("a missing repository path fails, in a code span or a shell block; the reader's own files can be exempted", () => {
    const doc = "Edit `lib/tls-stack.ts` (see `main.ts:3:1`).\n\n```sh\nnode --require tsx/cjs scripts/verify.ts\n```\n\nCreate `environments/qa.ts`.";
    expect(problemsOf({ "README.md": doc }, memoryRepo(files))).toEqual([
      "README.md:1: repository path `lib/tls-stack.ts` does not exist",
      "README.md:4: repository path `scripts/verify.ts` does not exist",
      "README.md:7: repository path `environments/qa.ts` does not exist",
    ]);
    expect(problemsOf({ "README.md": "Create `environments/qa.ts`." }, memoryRepo(files), new Set(["environments/qa.ts"]))).toEqual([]);
    // A module named in code without its extension exists when its .ts file does.
    expect(problemsOf({ "README.md": "`require(\"./lib/guard/tls-guard\")` `require(\"./lib/guard/plan-rules\")`" }, memoryRepo(files))).toEqual([
      "README.md:1: repository path `lib/guard/plan-rules` does not exist",
    ]);
  });

  test("the repository path rule: known top-level folders and root files; patterns and placeholders are not paths", () => {
    expect(repoPathsIn('terraform -chdir=cdktf.out/stacks/x ("./lib/index.ts"), test/x.test.ts:12:3 main.ts README.md docs/')).toEqual([
      "lib/index.ts",
      "test/x.test.ts",
      "main.ts",
      "README.md",
      "docs/",
    ]);
    for (const word of ["test/*.plan.test.ts", "environments/<name>.ts", "scripts/ci/*", "tls-{dev,prod}", "lib", "src/x.ts", "@cdktf/provider-aws/lib/lb-listener", "dev.ts"]) {
      expect({ word, path: isRepoPath(word) }).toEqual({ word, path: false });
    }
  });
});

describe("the field reference check on seeded defects", () => {
  const fields: FieldSpecOfType[] = [
    { name: "name", required: true },
    { name: "tags", required: false },
  ];
  const page = (rows: string[]) =>
    ({ path: "docs/configuration.md", text: ["# Configuration", "", "## Field reference", "", "| field | required | default |", "| --- | --- | --- |", ...rows, "", "| field | required |", "| --- | --- |", "| `notAField` | no |"].join("\n") });

  test("passes a table that lists every field once with the right required column (a later table does not count)", () => {
    expect(fieldReferenceProblems(page(["| `name` | yes | |", "| `tags` | no | none |"]), fields)).toEqual([]);
  });

  test("fails on a field of the type the table lacks, and on a field the type lacks", () => {
    expect(fieldReferenceProblems(page(["| `name` | yes | |", "| `tag` | no | none |"]), fields).map(formatProblem)).toEqual([
      "docs/configuration.md:7: EnvironmentConfig field tags is missing from the field reference",
      "docs/configuration.md:8: tag is documented as a field, but EnvironmentConfig has no such field",
    ]);
  });

  test("fails on a wrong required column, a repeated row and a row that is not one code span", () => {
    expect(fieldReferenceProblems(page(["| `name` | no | |", "| `tags` | no | |", "| `tags` | no | |", "| tags | no | |"]), fields).map(formatProblem)).toEqual([
      "docs/configuration.md:7: name is documented as optional, but EnvironmentConfig makes it required",
      "docs/configuration.md:9: tags is documented twice",
      "docs/configuration.md:10: field cell \"tags\" is not one code span",
    ]);
  });

  test("fails when there is no field reference table", () => {
    expect(fieldReferenceProblems({ path: "docs/configuration.md", text: "# Configuration\n\n## Fields\n\n| field | required |\n| --- | --- |\n| `name` | yes |\n" }, fields).map(formatProblem)).toEqual([
      'docs/configuration.md:1: no table under a "Field reference" heading (#field-reference)',
    ]);
  });
});
