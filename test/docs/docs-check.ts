/**
 * The docs checker behind test/docs/docs.test.ts: pure functions over Markdown text and a view of the repository, so
 * each check can be shown failing on a small in-memory document. No external tool; one pass over each document.
 *
 * What it checks, in README.md and docs/*.md:
 * - links: every relative link and image target (`[text](path)`, `[text](path#anchor)`, `[text](#anchor)`, reference
 *   definitions `[name]: path`) names a file or directory of the repository, and every `#anchor` names a heading of
 *   the Markdown file it points into, slugged as GitHub slugs headings (`githubSlug`, `Slugger`). Links with a scheme
 *   (`https:`, `mailto:`) are not followed. Links inside code are not links.
 * - npm scripts: every `npm run X` (also `npm run --silent X`, `npm run -s X`) and `npm test` / `npm start` anywhere in
 *   the text, code included, names a script of package.json.
 * - repository paths: every repository path named in a code span, or as a word of a `sh`/`bash`/`shell`/`console`
 *   code block, exists (see REPOSITORY PATH below).
 * - the field reference: the first table under the heading "Field reference" of docs/configuration.md lists exactly
 *   the given fields, one row each, with the right "required" column.
 *
 * REPOSITORY PATH, the rule: a word (code spans and shell code blocks are split into words at whitespace, quotes,
 * parentheses, `=`, `,` and `;`; a trailing `.` or `:`, a leading `./` and a trailing `:line` or `:line:column` are
 * dropped) is a repository path when
 * - it starts with one of the repository's top-level folders followed by a slash (TOP_LEVEL_FOLDERS: `lib/`, `test/`,
 *   `scripts/`, `docs/`, `environments/`, `bootstrap/`, `checkov-policies/`, `.github/`, `.ci/`), or
 * - it is exactly one of the root files (ROOT_FILES: `main.ts`, `package.json`, ...),
 * and it holds none of the characters that make it a pattern or a placeholder: `* ? < > { } [ ] $ | …` (so
 * `test/*.plan.test.ts`, `environments/<name>.ts` and `scripts/ci/*` are not paths). It exists when it names a file
 * or a directory, or, without an extension, a TypeScript module (`lib/guard/plan-listener-rules` for its `.ts`).
 * Generated paths (`cdktf.out/...`, `bootstrap.out/...`, `.venv-scan`, `terraform.tls-<name>.tfstate`) start with
 * none of those folders and are not checked. A path the reader is told to create is exempted by name in the test
 * (`allowMissing`), where the exemption is itself checked.
 */
import * as path from "path";

/** A Markdown document: its path from the repository root (with `/`), its text. */
export interface Doc {
  readonly path: string;
  readonly text: string;
}

/** What the checks need to know about the repository. */
export interface RepoView {
  /** Whether a path (from the root, with `/`) names a file or a directory. */
  exists(repoPath: string): boolean;
  /** The text of a file, or undefined when it is not a readable file. */
  read(repoPath: string): string | undefined;
  /** The script names of package.json. */
  readonly scripts: ReadonlySet<string>;
}

/** One thing wrong, located in its document. */
export interface DocProblem {
  readonly kind: "link" | "npm" | "path" | "field";
  readonly doc: string;
  readonly line: number;
  readonly message: string;
}

export const TOP_LEVEL_FOLDERS = ["lib", "test", "scripts", "docs", "environments", "bootstrap", "checkov-policies", ".github", ".ci"] as const;
export const ROOT_FILES = [
  "main.ts",
  "extend.ts",
  "package.json",
  "package-lock.json",
  "jest.config.js",
  "tsconfig.json",
  "cdktf.json",
  "requirements-scan.txt",
  "requirements-tools.txt",
  ".checkov.yaml",
  ".gitignore",
  "README.md",
] as const;

/** Characters that make a word a pattern or a placeholder, not a path. */
const NOT_A_PATH = /[*?<>{}[\]$|…]/;
const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh"]);

// ---------------------------------------------------------------------------------------------------------------
// Slugs

/**
 * GitHub's anchor for a heading's text (github-slugger, which GitHub uses): lowercase; every character dropped that is
 * not a letter, a mark, a digit, a connector (`_`), a hyphen or a space; then each space becomes a hyphen (so
 * `A & B` gives `a--b`). Letters outside ASCII stay.
 */
export function githubSlug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

/** Slugs of one document's headings in order: a repeated slug gets `-1`, `-2`, ... as on GitHub. */
export class Slugger {
  private readonly occurrences = new Map<string, number>();

  public slug(text: string): string {
    const original = githubSlug(text);
    let result = original;
    while (this.occurrences.has(result)) {
      const count = this.occurrences.get(original)! + 1;
      this.occurrences.set(original, count);
      result = `${original}-${count}`;
    }
    this.occurrences.set(result, 0);
    return result;
  }
}

/**
 * The text GitHub renders for a heading's Markdown, which is what it slugs: code spans keep their content, links and
 * images their text, HTML tags go, emphasis markers go (`*` and `_` around words; `_` inside a word stays), escapes
 * are resolved.
 */
export function headingText(markdown: string): string {
  const parts: string[] = [];
  let rest = markdown;
  // Code spans are literal: split them off first so nothing inside them is treated as markup.
  const span = /(`+)([\s\S]*?[^`])\1(?!`)/;
  for (let match = span.exec(rest); match !== null; match = span.exec(rest)) {
    parts.push(plainInline(rest.slice(0, match.index)));
    parts.push(match[2].trim() === "" ? match[2] : match[2].replace(/^ (.*) $/s, "$1"));
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push(plainInline(rest));
  return parts.join("").trim();
}

function plainInline(text: string): string {
  // Escaped punctuation is literal: held aside while the markup around it goes.
  const held: string[] = [];
  return text
    .replace(/\\([!-/:-@[-`{-~])/g, (_, char: string) => `\uE000${held.push(char) - 1}\uE001`)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(^|[^\p{L}\p{N}_])_+(?=\S)(.*?\S)_+(?=$|[^\p{L}\p{N}_])/gu, "$1$2")
    .replace(/\*+/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/\uE000(\d+)\uE001/g, (_, index: string) => held[Number(index)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Scanning

interface Located {
  readonly text: string;
  readonly line: number;
}

/** What one pass over a document finds. */
export interface ScannedDoc {
  readonly headings: ReadonlyArray<Located & { readonly slug: string }>;
  /** Extra anchors from HTML (`<a name="x">`, `id="x"`). */
  readonly htmlAnchors: readonly string[];
  /** Link and image targets outside code, as written. */
  readonly links: readonly Located[];
  /** Code span contents. */
  readonly codeSpans: readonly Located[];
  /** Lines of sh/bash/shell/console code blocks. */
  readonly shellLines: readonly Located[];
  /** Every line, code included (for `npm run`). */
  readonly lines: readonly string[];
  /** Table rows outside code: their cells, with the heading slug they sit under. */
  readonly tableRows: ReadonlyArray<{ readonly cells: readonly string[]; readonly line: number; readonly section: string }>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const LIST_OR_QUOTE = /^\s*(?:[-*+]|\d+[.)]|>)\s/;

/** One pass over a Markdown document: headings (with GitHub's slugs), links, code spans, shell code, tables. */
export function scanMarkdown(text: string): ScannedDoc {
  const lines = text.split(/\r?\n/);
  const slugger = new Slugger();
  const headings: Array<Located & { slug: string }> = [];
  const htmlAnchors: string[] = [];
  const links: Located[] = [];
  const codeSpans: Located[] = [];
  const shellLines: Located[] = [];
  const tableRows: Array<{ cells: string[]; line: number; section: string }> = [];
  let section = "";

  // Inline content is read per block (a paragraph, a list item, one table row or heading), because a code span or a
  // link may continue on the next line of its paragraph but never into another block.
  let block: Located[] = [];
  const flush = () => {
    if (block.length > 0) readInline(block, links, codeSpans);
    block = [];
  };
  const addHeading = (markdown: string, line: number) => {
    const text = headingText(markdown);
    const slug = slugger.slug(text);
    headings.push({ text, line, slug });
    section = slug;
  };

  let fence: { marker: string; shell: boolean } | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fenceMatch = FENCE.exec(raw);
    if (fence !== undefined) {
      if (fenceMatch !== null && fenceMatch[1][0] === fence.marker[0] && fenceMatch[1].length >= fence.marker.length && fenceMatch[2] === "") {
        fence = undefined;
      } else if (fence.shell) {
        shellLines.push({ text: raw, line });
      }
      return;
    }
    if (fenceMatch !== null) {
      flush();
      fence = { marker: fenceMatch[1], shell: SHELL_LANGUAGES.has(fenceMatch[2].toLowerCase()) };
      return;
    }
    for (const anchor of raw.matchAll(/<a\s[^>]*(?:name|id)="([^"]+)"/gi)) htmlAnchors.push(anchor[1]);
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(raw);
    if (atx !== null) {
      flush();
      addHeading(atx[2] ?? "", line);
      readInline([{ text: atx[2] ?? "", line }], links, codeSpans);
      return;
    }
    // Setext heading: a paragraph line underlined with = or -.
    if (/^ {0,3}(=+|-+)[ \t]*$/.test(raw) && block.length === 1 && !LIST_OR_QUOTE.test(block[0].text) && !block[0].text.trimStart().startsWith("|")) {
      const title = block[0];
      block = [];
      readInline([title], links, codeSpans);
      addHeading(title.text.trim(), title.line);
      return;
    }
    if (raw.trim() === "") {
      flush();
      return;
    }
    if (raw.trimStart().startsWith("|")) {
      flush();
      const cells = splitTableRow(raw);
      if (!cells.every((cell) => /^:?-+:?$/.test(cell))) tableRows.push({ cells, line, section });
      readInline([{ text: raw, line }], links, codeSpans);
      return;
    }
    if (LIST_OR_QUOTE.test(raw)) flush();
    for (const definition of raw.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/g)) links.push({ text: definition[1], line });
    block.push({ text: raw, line });
  });
  flush();
  return { headings, htmlAnchors, links, codeSpans, shellLines, lines, tableRows };
}

/** GFM table row -> trimmed cells (a `|` inside a code span or escaped as `\|` does not split). */
export function splitTableRow(row: string): string[] {
  const cells: string[] = [];
  let current = "";
  let ticks = 0;
  const text = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\" && text[i + 1] === "|") {
      current += "|";
      i++;
    } else if (char === "`") {
      let run = 0;
      while (text[i + run] === "`") run++;
      ticks = ticks === 0 ? run : ticks === run ? 0 : ticks;
      current += "`".repeat(run);
      i += run - 1;
    } else if (char === "|" && ticks === 0) {
      cells.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  cells.push(current.trim());
  return cells;
}

/** Finds the code spans and the links (outside code spans) of one block of lines. */
function readInline(block: readonly Located[], links: Located[], codeSpans: Located[]): void {
  const text = block.map((l) => l.text).join("\n");
  const lineAt = (offset: number) => block[text.slice(0, offset).split("\n").length - 1].line;
  // Code spans: a run of n backticks up to the next run of exactly n. Their content is blanked out before links are
  // looked for, so a link inside code is no link.
  let masked = "";
  let last = 0;
  for (const match of text.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    const start = match.index!;
    codeSpans.push({ text: match[2].replace(/\n/g, " ").trim(), line: lineAt(start) });
    masked += text.slice(last, start) + " ".repeat(match[0].length);
    last = start + match[0].length;
  }
  masked += text.slice(last);
  for (const match of masked.matchAll(/!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    links.push({ text: match[1].replace(/^<|>$/g, ""), line: lineAt(match.index!) });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

/** Counts of what was checked, so a test can show the checks ran on something. */
export interface CheckCounts {
  links: number;
  anchors: number;
  npmScripts: number;
  repoPaths: number;
}

export interface CheckResult {
  readonly problems: DocProblem[];
  readonly counts: CheckCounts;
}

/** Links, anchors, npm scripts and repository paths of every document. */
export function checkDocs(docs: readonly Doc[], repo: RepoView, options: { allowMissing?: ReadonlySet<string> } = {}): CheckResult {
  const scanned = new Map(docs.map((doc) => [doc.path, scanMarkdown(doc.text)]));
  const anchorsOf = anchorIndex(scanned, repo);
  const problems: DocProblem[] = [];
  const counts: CheckCounts = { links: 0, anchors: 0, npmScripts: 0, repoPaths: 0 };
  for (const doc of docs) {
    const scan = scanned.get(doc.path)!;
    const found: DocProblem[] = [];
    const add = (kind: DocProblem["kind"]) => (line: number, message: string) => found.push({ kind, doc: doc.path, line, message });
    for (const link of scan.links) linkProblem(doc.path, link, repo, anchorsOf, counts, add("link"));
    scan.lines.forEach((text, index) => {
      for (const script of npmScriptsIn(text)) {
        counts.npmScripts++;
        if (!repo.scripts.has(script)) add("npm")(index + 1, `npm script "${script}" is not in package.json's scripts`);
      }
    });
    for (const { text, line } of [...scan.codeSpans, ...scan.shellLines]) {
      for (const candidate of repoPathsIn(text)) {
        counts.repoPaths++;
        if (!repoPathExists(candidate, repo) && !options.allowMissing?.has(candidate)) {
          add("path")(line, `repository path \`${candidate}\` does not exist`);
        }
      }
    }
    problems.push(...found.sort((a, b) => a.line - b.line));
  }
  return { problems, counts };
}

function anchorIndex(scanned: ReadonlyMap<string, ScannedDoc>, repo: RepoView): (repoPath: string) => ReadonlySet<string> | undefined {
  const cache = new Map<string, ReadonlySet<string> | undefined>();
  return (repoPath) => {
    if (!cache.has(repoPath)) {
      const known = scanned.get(repoPath);
      const text = known === undefined ? repo.read(repoPath) : undefined;
      const scan = known ?? (text === undefined ? undefined : scanMarkdown(text));
      cache.set(repoPath, scan === undefined ? undefined : new Set([...scan.headings.map((h) => h.slug), ...scan.htmlAnchors]));
    }
    return cache.get(repoPath);
  };
}

function linkProblem(
  docPath: string,
  link: Located,
  repo: RepoView,
  anchorsOf: (repoPath: string) => ReadonlySet<string> | undefined,
  counts: CheckCounts,
  add: (line: number, message: string) => void,
): void {
  const target = link.text;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) return;
  counts.links++;
  const hash = target.indexOf("#");
  const rawPath = (hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, "");
  const anchor = hash === -1 ? undefined : target.slice(hash + 1);
  let resolved = docPath;
  if (rawPath !== "") {
    let decoded: string;
    try {
      decoded = decodeURI(rawPath);
    } catch {
      add(link.line, `link ${target}: not a valid URI`);
      return;
    }
    resolved = path.posix.normalize(path.posix.join(path.posix.dirname(docPath), decoded)).replace(/\/$/, "");
    if (resolved === ".") resolved = "";
    if (resolved.startsWith("../") || resolved === "..") {
      add(link.line, `link ${target}: points outside the repository`);
      return;
    }
    if (resolved !== "" && !repo.exists(resolved)) {
      add(link.line, `link ${target}: ${resolved} does not exist`);
      return;
    }
  }
  if (anchor === undefined) return;
  counts.anchors++;
  if (!resolved.toLowerCase().endsWith(".md")) {
    add(link.line, `link ${target}: #${anchor} points into ${resolved || "the repository root"}, which is not a Markdown file`);
    return;
  }
  const anchors = anchorsOf(resolved);
  if (anchors === undefined) {
    add(link.line, `link ${target}: ${resolved} cannot be read`);
  } else if (!anchors.has(anchor)) {
    add(link.line, `link ${target}: ${resolved} has no heading with the anchor #${anchor}`);
  }
}

/** Script names of `npm run X`, `npm run --silent X`, `npm run -s X`, `npm test`, `npm start` in a line. */
export function npmScriptsIn(text: string): string[] {
  const names: string[] = [];
  // A name ends before trailing punctuation: "npm run bench: 9 of 9 goals" names bench.
  for (const match of text.matchAll(/\bnpm\s+run(?:\s+(?:--silent|-s|--if-present))*\s+([A-Za-z0-9:._-]*[A-Za-z0-9_-])/g)) names.push(match[1]);
  for (const match of text.matchAll(/\bnpm\s+(test|start)(?![\w:-])/g)) names.push(match[1]);
  return names;
}

/** The repository paths a code span or a line of shell names, by the rule at the top of this file. */
export function repoPathsIn(text: string): string[] {
  return text
    .split(/[\s"'()=,;]+/)
    .map(normalizeWord)
    .filter((word): word is string => word !== undefined && isRepoPath(word));
}

function normalizeWord(word: string): string | undefined {
  const w = word.replace(/[.:]+$/, "").replace(/^\.\//, "").replace(/:\d+(?::\d+)?$/, "");
  return w === "" ? undefined : w;
}

/** Whether a (normalized) word is a repository path by the rule at the top of this file. */
export function isRepoPath(word: string): boolean {
  if (NOT_A_PATH.test(word)) return false;
  return TOP_LEVEL_FOLDERS.some((folder) => word.startsWith(`${folder}/`)) || (ROOT_FILES as readonly string[]).includes(word);
}

function repoPathExists(repoPath: string, repo: RepoView): boolean {
  const trimmed = repoPath.replace(/\/$/, "");
  if (repo.exists(trimmed)) return true;
  return path.posix.extname(trimmed) === "" && repo.exists(`${trimmed}.ts`);
}

// ---------------------------------------------------------------------------------------------------------------
// The field reference

export interface FieldSpecOfType {
  readonly name: string;
  readonly required: boolean;
}

export const FIELD_REFERENCE_SLUG = "field-reference";

/**
 * The fields the first table under the "Field reference" heading documents: its `field` column (one code span each)
 * and its `required` column (`yes` / `no`).
 */
export function documentedFields(doc: Doc): { fields: Array<FieldSpecOfType & { line: number }>; problems: DocProblem[] } {
  const scan = scanMarkdown(doc.text);
  const problem = (line: number, message: string): DocProblem => ({ kind: "field", doc: doc.path, line, message });
  const rows = scan.tableRows.filter((row) => row.section === FIELD_REFERENCE_SLUG);
  if (!scan.headings.some((h) => h.slug === FIELD_REFERENCE_SLUG) || rows.length === 0) {
    return { fields: [], problems: [problem(1, `no table under a "Field reference" heading (#${FIELD_REFERENCE_SLUG})`)] };
  }
  // The first table of the section: its header row, then rows up to the first line that is not the next row.
  const header = rows[0];
  const table = [header];
  for (const row of rows.slice(1)) {
    // Rows are consecutive lines; the delimiter row (not a row here) sits between the header and the first row.
    const previous = table[table.length - 1].line;
    if (row.line !== previous + (table.length === 1 ? 2 : 1)) break;
    table.push(row);
  }
  const fieldColumn = header.cells.indexOf("field");
  const requiredColumn = header.cells.indexOf("required");
  if (fieldColumn === -1 || requiredColumn === -1) {
    return { fields: [], problems: [problem(header.line, 'the field reference table needs a "field" and a "required" column')] };
  }
  const problems: DocProblem[] = [];
  const fields: Array<FieldSpecOfType & { line: number }> = [];
  for (const row of table.slice(1)) {
    const name = /^`([^`]+)`$/.exec(row.cells[fieldColumn] ?? "")?.[1];
    const required = row.cells[requiredColumn];
    if (name === undefined) {
      problems.push(problem(row.line, `field cell ${JSON.stringify(row.cells[fieldColumn])} is not one code span`));
    } else if (required !== "yes" && required !== "no") {
      problems.push(problem(row.line, `${name}: required cell ${JSON.stringify(required)} is neither "yes" nor "no"`));
    } else {
      fields.push({ name, required: required === "yes", line: row.line });
    }
  }
  return { fields, problems };
}

/** The field reference against the type's fields: every field once, nothing else, "required" right. */
export function fieldReferenceProblems(doc: Doc, typeFields: readonly FieldSpecOfType[]): DocProblem[] {
  const { fields, problems } = documentedFields(doc);
  if (fields.length === 0 && problems.length > 0) return problems;
  const byName = new Map(typeFields.map((f) => [f.name, f]));
  const seen = new Set<string>();
  for (const field of fields) {
    const inType = byName.get(field.name);
    if (seen.has(field.name)) {
      problems.push({ kind: "field", doc: doc.path, line: field.line, message: `${field.name} is documented twice` });
    } else if (inType === undefined) {
      problems.push({ kind: "field", doc: doc.path, line: field.line, message: `${field.name} is documented as a field, but EnvironmentConfig has no such field` });
    } else if (inType.required !== field.required) {
      problems.push({
        kind: "field",
        doc: doc.path,
        line: field.line,
        message: `${field.name} is documented as ${field.required ? "required" : "optional"}, but EnvironmentConfig makes it ${inType.required ? "required" : "optional"}`,
      });
    }
    seen.add(field.name);
  }
  const table = fields[0]?.line ?? 1;
  for (const field of typeFields) {
    if (!seen.has(field.name)) problems.push({ kind: "field", doc: doc.path, line: table, message: `EnvironmentConfig field ${field.name} is missing from the field reference` });
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** "docs/x.md:12: message", for readable failures. */
export function formatProblem(problem: DocProblem): string {
  return `${problem.doc}:${problem.line}: ${problem.message}`;
}
