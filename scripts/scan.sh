#!/usr/bin/env bash
# Independent policy scan of the synthesized Terraform JSON with checkov.
#
#   scripts/scan.sh [STACK_DIR...]
#
# STACK_DIR defaults to every cdktf.out/stacks/*/ (run `npm run synth` first). Each
# directory must hold the stack's *.tf.json (cdktf writes cdk.tf.json). All of them are
# scanned in ONE checkov run (checkov starts slowly); checkov resolves references per
# directory, so stacks do not leak into each other.
#
# Settings live in .checkov.yaml (framework terraform_json, skips with reasons, our custom
# checks in checkov-policies/). No network: --skip-download / BC_SKIP_MAPPING stop the
# Prisma Cloud (Bridgecrew) download, CKV_SKIP_PACKAGE_UPDATE_CHECK the PyPI version check.
#
# Environment:
#   CHECKOV       checkov executable (default: .venv-scan/bin/checkov in the repo root)
#   SCAN_VERBOSE  1 = also list passed checks (default: only failed checks, --quiet)
#
# Exit status: 0 no failed check; 1 at least one failed check; 2 setup problem (checkov
# missing, nothing to scan, a file checkov cannot parse, checkov crashed); 3 checkov
# evaluated no check at all.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
caller_pwd="$PWD"

die() {
  local code="$1"
  shift
  echo "scan.sh: $*" >&2
  exit "$code"
}

# --- checkov --------------------------------------------------------------------------
checkov="${CHECKOV:-.venv-scan/bin/checkov}"
if [[ -z "${CHECKOV:-}" ]]; then
  checkov="$repo_root/$checkov"
elif [[ "$checkov" == */* && "$checkov" != /* ]]; then
  checkov="$caller_pwd/$checkov"
elif [[ "$checkov" != */* ]]; then
  checkov="$(command -v "$checkov" || true)"
fi
if [[ -z "$checkov" || ! -x "$checkov" ]]; then
  {
    echo "scan.sh: checkov not found (${CHECKOV:-.venv-scan/bin/checkov})."
    echo "Provision it (pinned in requirements-scan.txt) from the repo root with:"
    echo "  node scripts/python-tools.js scan"
    echo "or point CHECKOV at an existing checkov executable."
  } >&2
  exit 2
fi

# --- what to scan ---------------------------------------------------------------------
dirs=()
if (($# > 0)); then
  for arg in "$@"; do
    [[ "$arg" == /* ]] || arg="$caller_pwd/$arg"
    dirs+=("$arg")
  done
else
  shopt -s nullglob
  dirs=("$repo_root"/cdktf.out/stacks/*/)
  shopt -u nullglob
  ((${#dirs[@]} > 0)) ||
    die 2 "no synthesized stacks in $repo_root/cdktf.out/stacks/ -- run npm run synth first"
fi

# checkov 3.3.30's terraform_json parser crashes ("this method receives only dicts") on a string-valued setting in
# the `terraform` block, such as the `required_version` every stack declares. It is no security setting, so each
# stack is scanned as a copy without it, under scan-copies/<stack dir name>/ in a temp dir; nothing else changes.
copies="$(mktemp -d)"
trap 'rm -rf "$copies"' EXIT
files=()
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || die 2 "not a directory: $dir"
  dir="$(cd "$dir" && pwd)"
  shopt -s nullglob
  found=("$dir"/*.tf.json)
  shopt -u nullglob
  ((${#found[@]} > 0)) || die 2 "no *.tf.json in $dir -- run npm run synth first"
  copy="$copies/scan-copies/$(basename "$dir")"
  [[ -e "$copy" ]] && copy="$copy-${#files[@]}"
  mkdir -p "$copy"
  for file in "${found[@]}"; do
    node -e '
      const fs = require("fs");
      const json = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      if (json.terraform && typeof json.terraform === "object") delete json.terraform.required_version;
      fs.writeFileSync(process.argv[2], JSON.stringify(json, null, 2));
    ' "$file" "$copy/$(basename "$file")" || die 2 "cannot read $file as JSON"
    files+=(-f "$copy/$(basename "$file")")
  done
done

# --- scan -----------------------------------------------------------------------------
cd "$repo_root"
export BC_SKIP_MAPPING=TRUE
export CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE
# A stack checkov cannot parse would otherwise be left out silently.
export CKV_PARSE_ERROR_FAIL=true

args=(--config-file .checkov.yaml --framework terraform_json --compact --skip-download)
[[ "${SCAN_VERBOSE:-0}" == 1 ]] || args+=(--quiet)

log="$(mktemp)"
trap 'rm -f "$log"; rm -rf "$copies"' EXIT

# (`checkov --version` would cost a second full checkov start-up; ask its venv's python.)
version="$("$(dirname "$checkov")/python" -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null || true)"
echo "scan.sh: checkov ${version:-(version unknown)} on ${#dirs[@]} stack dir(s)" >&2
set +e
"$checkov" "${args[@]}" "${files[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

summary="$(grep -aoE 'Passed checks: [0-9]+, Failed checks: [0-9]+' "$log" || true)"
if [[ -z "$summary" ]]; then
  ((rc != 0)) && die 2 "checkov exited $rc without a report (crash?)"
  die 3 "checkov produced no terraform_json report: nothing was scanned"
fi
passed=0
failed=0
while read -r p f; do
  passed=$((passed + p))
  failed=$((failed + f))
done < <(sed -E 's/Passed checks: ([0-9]+), Failed checks: ([0-9]+)/\1 \2/' <<<"$summary")

parse_errors=0
while read -r n; do
  parse_errors=$((parse_errors + n))
done < <(grep -aoE 'Parsing errors: [0-9]+' "$log" | grep -oE '[0-9]+' || true)
if ((parse_errors > 0)); then
  die 2 "checkov could not parse $parse_errors file(s): those stacks were not scanned"
fi
if ((passed + failed == 0)); then
  die 3 "checkov evaluated no check (are all of them skipped?)"
fi
if ((rc != 0 || failed > 0)); then
  echo "scan.sh: FAILED -- $failed failed check(s), $passed passed (checkov exit $rc)" >&2
  ((rc == 0 || rc == 1)) && exit 1
  exit "$rc"
fi
echo "scan.sh: OK -- $passed passed, 0 failed" >&2
