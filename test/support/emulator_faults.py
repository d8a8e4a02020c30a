"""Fault injection for the AWS emulator (test/support/emulator.py): a seeded share of the calls the code under test makes
is answered the way AWS answers when it throttles or fails, so a deploy test watches the AWS SDK for Go v2 inside the
Terraform AWS provider retry them.

Spec (emulator.py's "faults" field):
    share       fraction of eligible calls that fail, 0 < share <= 1
    seed        integer; the same seed fails the same calls of the same sequence (see "Reproducible")
    log         file that receives one JSON line per injected fault and per retry seen (below)
    services    ["route53", "elbv2", "acm"] (the default: all three)
    userAgent   substring a request's User-Agent must contain (default "terraform-provider-aws", which every request of
                the provider carries and no seeding or boto3/JS SDK read-back does)
    maxPerCall  most faults injected into one SDK invocation, its retries included (default 2): bounds the backoff a
                single call can accumulate
    keepAnswers calls whose 500 refuses the request instead of losing the answer (default none): "<service> <action>",
                or for Route53 change batches "route53 ChangeResourceRecordSets <CREATE|UPSERT|DELETE>" (a batch with
                that change action)

What AWS sends, per service and protocol (the error codes and status codes the SDK's retryer classifies):
    route53 (REST-XML)   400 Throttling, 400 PriorRequestNotComplete (ChangeResourceRecordSets only),
                         503 ServiceUnavailable, 500 InternalFailure
    elbv2 (query, XML)   400 Throttling, 503 ServiceUnavailable, 500 InternalFailure
    acm (JSON 1.1)       400 ThrottlingException, 503 ServiceUnavailable, 500 InternalFailure
Throttling answers and 503s refuse the request: nothing happens. A 500 is injected after the action ran (the answer was
lost, as with a 500 or a reset connection after AWS committed the change), so the retry meets what the first attempt did:
this is what tests the idempotency of every call the provider retries.

Log lines:
    {"event": "injected", "service", "action", "error", "status", "when": "before"|"after", "invocation", "attempt", "at"}
    {"event": "retried", "service", "action", "error", "status", "when", "invocation", "attempt", "waited", "at"}
"retried" is written when the same SDK invocation (header amz-sdk-invocation-id) arrives again with a higher attempt
number (header amz-sdk-request: attempt=N; max=M); "waited" is the seconds between the faulty answer and that attempt,
i.e. the SDK's backoff. "at" is seconds since the injection was installed.

Reproducible: each eligible call is the k-th of its (service, action); whether it fails, and how, is drawn from
random.Random("<seed>/<service>/<action>/<k>"). Terraform runs up to 10 operations at once, so which resource's call is
the k-th can vary between runs; the number of decisions of each kind per action does not, for the same sequence of calls.
"""

import json
import random
import re
import threading
import time
import uuid

DEFAULT_SERVICES = ("route53", "elbv2", "acm")
DEFAULT_USER_AGENT = "terraform-provider-aws"
DEFAULT_MAX_PER_CALL = 2

# Messages as AWS words them: Throttling and ThrottlingException say "Rate exceeded"; PriorRequestNotComplete is
# Route53's own; the 5xx ones are the common errors of the AWS API references.
MESSAGES = {
    "Throttling": "Rate exceeded",
    "ThrottlingException": "Rate exceeded",
    "PriorRequestNotComplete": "The request was rejected because Route 53 was still processing a prior request.",
    "ServiceUnavailable": "The request has failed due to a temporary failure of the server.",
    "InternalFailure": "The request processing has failed because of an unknown error, exception or failure.",
}

# (error code, HTTP status, when, actions it applies to or None for every action)
CATALOGUE = {
    "route53": [
        ("Throttling", 400, "before", None),
        ("PriorRequestNotComplete", 400, "before", {"ChangeResourceRecordSets"}),
        ("ServiceUnavailable", 503, "before", None),
        ("InternalFailure", 500, "after", None),
    ],
    "elbv2": [
        ("Throttling", 400, "before", None),
        ("ServiceUnavailable", 503, "before", None),
        ("InternalFailure", 500, "after", None),
    ],
    "acm": [
        ("ThrottlingException", 400, "before", None),
        ("ServiceUnavailable", 503, "before", None),
        ("InternalFailure", 500, "after", None),
    ],
}

XML_NAMESPACES = {
    "route53": "https://route53.amazonaws.com/doc/2013-04-01/",
    "elbv2": "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
}


def fault_settings(spec: dict) -> dict:
    """The validated "faults" spec with its defaults; every problem in one SystemExit."""
    problems = []
    share = spec.get("share")
    if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 < share <= 1:
        problems.append(f"faults.share must be a number in (0, 1], got {share!r}")
    seed = spec.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        problems.append(f"faults.seed must be an integer, got {seed!r}")
    log = spec.get("log")
    if not isinstance(log, str) or not log:
        problems.append(f"faults.log must be a file path, got {log!r}")
    services = spec.get("services", list(DEFAULT_SERVICES))
    unknown = [s for s in services if s not in CATALOGUE] if isinstance(services, list) else services
    if unknown or not services:
        problems.append(f"faults.services must be a non-empty list of {sorted(CATALOGUE)}, got {services!r}")
    user_agent = spec.get("userAgent", DEFAULT_USER_AGENT)
    if not isinstance(user_agent, str) or not user_agent:
        problems.append(f"faults.userAgent must be a non-empty string, got {user_agent!r}")
    max_per_call = spec.get("maxPerCall", DEFAULT_MAX_PER_CALL)
    if not isinstance(max_per_call, int) or isinstance(max_per_call, bool) or max_per_call < 1:
        problems.append(f"faults.maxPerCall must be an integer >= 1, got {max_per_call!r}")
    keep_answers = spec.get("keepAnswers", [])
    if not isinstance(keep_answers, list) or not all(isinstance(k, str) and len(k.split()) in (2, 3) for k in keep_answers):
        problems.append(f'faults.keepAnswers must be a list of "<service> <action>[ <change action>]", got {keep_answers!r}')
    extra = sorted(set(spec) - {"share", "seed", "log", "services", "userAgent", "maxPerCall", "keepAnswers"})
    if extra:
        problems.append(f"faults has unknown fields {extra}")
    if problems:
        raise SystemExit("emulator: " + "; ".join(problems))
    return {
        "share": share,
        "seed": seed,
        "log": log,
        "services": set(services),
        "userAgent": user_agent,
        "maxPerCall": max_per_call,
        "keepAnswers": set(keep_answers),
    }


def call_names(response, service: str, action: str) -> set:
    """The names keepAnswers can give this call: "<service> <action>", and for a Route53 change batch also
    "route53 ChangeResourceRecordSets <change action>" for each change action in it."""
    names = {f"{service} {action}"}
    if service == "route53" and action == "ChangeResourceRecordSets":
        names |= {f"{service} {action} {change}" for change in re.findall(r"<Action>(\w+)</Action>", response.body or "")}
    return names


def fault_response(service: str, code: str, status: int) -> tuple:
    """(status, headers, body) exactly as the service's protocol spells an error on the wire."""
    request_id = str(uuid.uuid4())
    message = MESSAGES[code]
    if service == "acm":
        # JSON 1.1: the code in __type, the message in "message".
        return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": request_id}, json.dumps({"__type": code, "message": message}, separators=(",", ":"))
    kind = "Sender" if status < 500 else "Receiver"
    body = (
        f'<?xml version="1.0"?>\n<ErrorResponse xmlns="{XML_NAMESPACES[service]}"><Error><Type>{kind}</Type><Code>{code}</Code>'
        f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return status, {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, body


def install_fault_injection(spec: dict) -> None:
    """Wraps moto's BaseResponse.call_action (every request of every service passes there once, with its action known).
    Install it after seeding: the seed then never meets a fault, whatever its user agent."""
    from moto.core.responses import BaseResponse

    settings = fault_settings(spec)
    lock = threading.Lock()
    started = time.monotonic()
    counters: dict = {}
    injected_into: dict = {}  # invocation -> number of faults injected into it
    pending: dict = {}  # invocation -> the last fault injected into it, until the next attempt arrives
    original = BaseResponse.call_action

    def write(event: dict) -> None:
        with open(settings["log"], "a") as log:
            log.write(json.dumps(event, separators=(",", ":"), sort_keys=True) + "\n")

    def decide(response) -> tuple | None:
        service = getattr(response, "service_name", None)
        if service not in settings["services"] or settings["userAgent"] not in response.headers.get("User-Agent", ""):
            return None
        action = response._get_action()
        invocation = response.headers.get("amz-sdk-invocation-id") or str(uuid.uuid4())
        found = re.search(r"attempt=(\d+)", response.headers.get("amz-sdk-request", ""))
        attempt = int(found.group(1)) if found else 1
        now = time.monotonic()
        with lock:
            previous = pending.pop(invocation, None)
            if previous is not None and attempt > previous["attempt"]:
                answered = previous.pop("answered")
                write({**previous, "event": "retried", "attempt": attempt, "waited": round(now - answered, 3), "at": round(now - started, 3)})
            if injected_into.get(invocation, 0) >= settings["maxPerCall"]:
                return None
            k = counters.get((service, action), 0)
            counters[(service, action)] = k + 1
            rng = random.Random(f"{settings['seed']}/{service}/{action}/{k}")
            if rng.random() >= settings["share"]:
                return None
            kinds = [kind for kind in CATALOGUE[service] if kind[3] is None or action in kind[3]]
            code, status, when, _ = rng.choice(kinds)
            if when == "after" and call_names(response, service, action) & settings["keepAnswers"]:
                when = "before"
            injected_into[invocation] = injected_into.get(invocation, 0) + 1
        return {"service": service, "action": action, "error": code, "status": status, "when": when, "invocation": invocation, "attempt": attempt}

    def call_action(self):
        fault = decide(self)
        if fault is None:
            return original(self)
        if fault["when"] == "after":
            original(self)  # the change happens; its answer is lost
        answer = fault_response(fault["service"], fault["error"], fault["status"])
        now = time.monotonic()
        with lock:
            pending[fault["invocation"]] = {**fault, "answered": now}
            write({**fault, "event": "injected", "at": round(now - started, 3)})
        return answer

    BaseResponse.call_action = call_action
