"""AWS API emulator for the *.emulator.test.ts suites: moto's ThreadedMotoServer on a free loopback port, seeded with
what an environment presumes already exists (VPC, two subnets, an ALB, a target group, hosted zones with fixed IDs,
S3 buckets, optionally listeners).

    <repo>/.venv-tools/bin/python test/support/emulator.py '<spec JSON>'

Prints ONE JSON line on stdout once the server is up and seeded:
    {"port": 41234, "seeded": {"vpcId", "subnetIds", "loadBalancerArn", "targetGroupArn", "hostedZones",
                                "buckets", "listeners": {"http"?, "https"?}, "certificateArns": [...],
                                "listenerRules": [...], "listenerCertificates": {"https"?: [...]}}}
then serves until stdin closes or SIGTERM/SIGINT arrives. A line "acm-validation-wait <seconds>" on stdin changes
MOTO_ACM_VALIDATION_WAIT while it runs (answered "ok"). Errors go to stderr with exit code 1.

Spec (every field optional):
    region           "us-east-1"
    loadBalancerName "edge-test"
    targetGroupName  "edge-test"
    hostedZones      {"example.com": "Z0000000000000000001", ...}   apex -> the zone ID moto must use
    buckets          ["state-bucket", ...]
    dynamodbTables   ["terraform-locks", ...]   tables with the LockID hash key Terraform's legacy S3 lock uses
    listeners        {"http": "forward" , "https": "ELBSecurityPolicy-2016-08"}  pre-existing listeners to create:
                     http :80 forwarding to the target group; https :443 with that policy, forwarding to the target
                     group, serving a certificate imported for the purpose
    listenerRules    [{"listener": "http", "priority": 10, "pathPattern": "/api/*", "action": "forward"}, ...]  rules to
                     put on the seeded listeners ("http" or "https"): "forward" to the target group, "redirect" (a 301 to
                     HTTPS) or "fixed-response" (200); the seeded rule ARNs come back in "listenerRules"
    listenerCertificates {"https": [["app.example.com", "old.example.org"], "legacy.example.net", ...]}  extra
                     certificates imported into ACM (one per entry: a name, or a list of names, the first as CN) and added
                     to the seeded listener's certificate list for SNI; their ARNs come back in "listenerCertificates"
    requestLog       path of a file that receives one line per AWS API call after seeding:
                     "<service> <IAM action> <account> <resource> <IAM condition keys as JSON>" (install_request_log)
    faults           {"share", "seed", "log", "services"?, "userAgent"?, "maxPerCall"?, "keepAnswers"?}: after seeding,
                     answer a seeded share of the provider's calls with AWS's throttling errors and 5xx (emulator_faults.py)

Environment read by moto in THIS process (so set it per emulator): MOTO_ACM_VALIDATION_WAIT (seconds a requested
certificate stays PENDING_VALIDATION; moto's default is 60).
"""

import datetime
import json
import logging
import os
import re
import signal
import sys
import threading

ACCOUNT = "123456789012"


def main() -> int:
    spec = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    region = spec.get("region", "us-east-1")
    # moto reads its settings at import time; credentials must never be real ones.
    os.environ["AWS_ACCESS_KEY_ID"] = "test"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "test"
    os.environ["AWS_DEFAULT_REGION"] = region
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(key, None)

    import boto3
    from moto.route53.models import HostedZoneIdentifier
    from moto.server import ThreadedMotoServer
    from moto.utilities.id_generator import moto_id_manager

    # Custom IDs are keyed by account + zone name and must exist before the zone is created. Both spellings of the
    # name are registered: the API adds the trailing dot, a direct backend call might not.
    zones_account = spec.get("hostedZonesAccount", ACCOUNT)
    for apex, zone_id in spec.get("hostedZones", {}).items():
        for name in (apex.rstrip(".") + ".", apex.rstrip(".")):
            moto_id_manager.set_custom_id(HostedZoneIdentifier(zones_account, name, None), zone_id)

    # The access log would flood the test output; errors still reach stderr.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    reject_duplicate_listener_ports()
    keep_listener_certificates_as_elb_does()
    refuse_deleting_certificates_in_use()
    evaluate_bucket_policy_conditions_as_iam_does()
    answer_test_event_pattern()
    listener_attributes_as_elb_does()
    if spec.get("faults"):
        from emulator_faults import fault_settings

        fault_settings(spec["faults"])  # a bad spec fails before the server starts
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"

    def client(service: str):
        return boto3.client(service, endpoint_url=endpoint, region_name=region)

    seeded = seed(spec, region, client)
    # Installed after seeding, so the log holds only what the code under test called.
    if spec.get("requestLog"):
        install_request_log(spec["requestLog"])
    if spec.get("faults"):
        from emulator_faults import install_fault_injection

        install_fault_injection(spec["faults"])
    sys.stdout.write(json.dumps({"port": port, "seeded": seeded}) + "\n")
    sys.stdout.flush()

    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())

    def watch_stdin() -> None:
        # The parent holds our stdin open; when it exits (even killed), stdin reaches EOF and we stop. Lines are
        # commands: "acm-validation-wait <seconds>" changes how long certificates stay PENDING_VALIDATION from now on
        # (moto reads the setting on every describe), answered with "ok" on stdout.
        import moto.settings

        for line in sys.stdin:
            words = line.split()
            if len(words) == 2 and words[0] == "acm-validation-wait":
                moto.settings.ACM_VALIDATION_WAIT = int(words[1])
                sys.stdout.write("ok\n")
                sys.stdout.flush()
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait()
    server.stop()
    return 0


def seed(spec: dict, region: str, client) -> dict:
    ec2 = client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", "a"), ("10.0.2.0/24", "b"))
    ]
    elb = client("elbv2")
    lb_arn = elb.create_load_balancer(
        Name=spec.get("loadBalancerName", "edge-test"), Subnets=subnet_ids, Scheme="internet-facing", Type="application"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = elb.create_target_group(
        Name=spec.get("targetGroupName", "edge-test"), Protocol="HTTP", Port=8080, VpcId=vpc_id, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]

    route53 = client("route53")
    zones_account = spec.get("hostedZonesAccount")
    if zones_account:
        # moto's server mode picks the account from this header (MOTO_ACCOUNT_ID is never set here): the zones then
        # live where a cross-account DNS role's credentials act, as they would in a separate DNS account.
        route53.meta.events.register(
            "before-sign.route53.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", zones_account)
        )
    zones = {}
    for apex, wanted in spec.get("hostedZones", {}).items():
        zone = route53.create_hosted_zone(Name=apex, CallerReference=f"seed-{apex}")["HostedZone"]
        zone_id = zone["Id"].split("/")[-1]
        if zone_id != wanted:
            raise SystemExit(f"emulator: hosted zone {apex} got ID {zone_id}, not the requested {wanted}")
        zones[apex] = zone_id

    s3 = client("s3")
    for bucket in spec.get("buckets", []):
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})

    dynamodb = client("dynamodb")
    for table in spec.get("dynamodbTables", []):
        # The shape Terraform's S3 backend expects of a lock table.
        dynamodb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

    listeners = {}
    certificate_arns = []
    wanted_listeners = spec.get("listeners", {})
    forward = [{"Type": "forward", "TargetGroupArn": tg_arn}]
    if wanted_listeners.get("http"):
        listeners["http"] = elb.create_listener(
            LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=forward
        )["Listeners"][0]["ListenerArn"]
    if wanted_listeners.get("https"):
        # An HTTPS listener needs a certificate; an imported one is ISSUED at once and is not ours to manage.
        cert_pem, key_pem = self_signed("legacy.example.com")
        cert_arn = client("acm").import_certificate(Certificate=cert_pem, PrivateKey=key_pem)["CertificateArn"]
        certificate_arns.append(cert_arn)
        listeners["https"] = elb.create_listener(
            LoadBalancerArn=lb_arn,
            Protocol="HTTPS",
            Port=443,
            SslPolicy=wanted_listeners["https"],
            Certificates=[{"CertificateArn": cert_arn}],
            DefaultActions=forward,
        )["Listeners"][0]["ListenerArn"]

    extras = seed_listener_extras(spec, elb, client("acm"), listeners, tg_arn)

    return {
        **extras,
        "vpcId": vpc_id,
        "subnetIds": subnet_ids,
        "loadBalancerArn": lb_arn,
        "targetGroupArn": tg_arn,
        "hostedZones": zones,
        "buckets": spec.get("buckets", []),
        "dynamodbTables": spec.get("dynamodbTables", []),
        "listeners": listeners,
        "certificateArns": certificate_arns,
    }


def seed_listener_extras(spec: dict, elb, acm, listeners: dict, tg_arn: str) -> dict:
    """What hangs on an existing listener besides its default action, as on a load balancer in use: rules
    (spec "listenerRules") and SNI certificates (spec "listenerCertificates"). Adopting the listener (existingListeners)
    leaves both in place, which is what the adoption check is about."""
    actions = {
        "forward": [{"Type": "forward", "TargetGroupArn": tg_arn}],
        "redirect": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}],
        "fixed-response": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "ok"}}],
    }
    rules = []
    for wanted in spec.get("listenerRules", []):
        listener = listeners.get(wanted["listener"])
        if listener is None:
            raise SystemExit(f"emulator: listenerRules names listener {wanted['listener']!r}, which the spec's listeners do not create")
        rules.append(
            elb.create_rule(
                ListenerArn=listener,
                Priority=int(wanted["priority"]),
                Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": [wanted.get("pathPattern", "/*")]}}],
                Actions=actions[wanted.get("action", "forward")],
            )["Rules"][0]["RuleArn"]
        )
    certificates = {}
    for protocol, entries in spec.get("listenerCertificates", {}).items():
        listener = listeners.get(protocol)
        if listener is None:
            raise SystemExit(f"emulator: listenerCertificates names listener {protocol!r}, which the spec's listeners do not create")
        certificates[protocol] = []
        for entry in entries:
            names = [entry] if isinstance(entry, str) else list(entry)
            cert_pem, key_pem = self_signed(names[0], names)
            arn = acm.import_certificate(Certificate=cert_pem, PrivateKey=key_pem)["CertificateArn"]
            elb.add_listener_certificates(ListenerArn=listener, Certificates=[{"CertificateArn": arn}])
            certificates[protocol].append(arn)
    return {"listenerRules": rules, "listenerCertificates": certificates}


def self_signed(name: str, names: list = None) -> tuple:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in (names or [name])]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()),
    )


def reject_duplicate_listener_ports() -> None:
    """AWS answers CreateListener on a port the load balancer already listens on with DuplicateListener, unless the
    existing listener has the same settings: CreateListener is idempotent, and a repeated call (the provider's retry of
    a request whose answer was lost) returns the listener it created. moto 5.2.5 means to refuse, but compares the port
    with its listeners' ARNs (`if port in balancer.listeners`), so it never does; this makes the emulator behave like
    AWS, which is what the existing-listener tests are about. "Same settings" is protocol, TLS policy, certificate and
    the default actions' types here (what our listeners and the seeded ones differ in)."""
    from moto.elbv2.exceptions import DuplicateListenerError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_listener

    def create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs):
        balancer = self.load_balancers.get(load_balancer_arn)
        action_types = [action.get("Type") for action in actions]
        for listener in (balancer.listeners.values() if balancer is not None else []):
            if str(listener.port) != str(port):
                continue
            same = (listener.protocol, listener.ssl_policy, listener.certificate, [a.type for a in listener.default_actions]) == (
                (protocol or "").upper(),
                ssl_policy,
                certificate,
                action_types,
            )
            if same:
                return listener
            raise DuplicateListenerError()
        return original(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs)

    ELBv2Backend.create_listener = create_listener


def keep_listener_certificates_as_elb_does() -> None:
    """A listener's certificate list as ELB keeps it, where moto 5.2.5 does not (each change cites its source):

    - RemoveListenerCertificates never removes the listener's default certificate: ELB answers OperationNotPermitted
      "Default certificate cannot be removed" (hashicorp/terraform-provider-aws#19495; the provider's delete of
      aws_lb_listener_certificate swallows exactly that error, #35403). moto removed it, after which its
      DescribeListenerCertificates flagged an SNI certificate as the default.
    - ModifyListener with Certificates replaces the default certificate only (ELB API reference, ModifyListener:
      "Certificates: the default certificate for the listener"); the SNI list stays. moto replaced the whole list (its
      own TODO says the describe is then wrong), so an SNI certificate vanished whenever the default was rotated.
    - The quota "Certificates per Application Load Balancer (excluding default certificates)", 25, counts the SNI
      certificates of all listeners of the load balancer (ELB quotas page, load-balancer-limits.html); moto counted
      one listener's list, default included.
    """
    from moto.elbv2.exceptions import ELBClientError, TooManyCertificatesError
    from moto.elbv2.models import ELBv2Backend

    class DefaultCertificateRemoval(ELBClientError):
        code = "OperationNotPermitted"
        message = "Default certificate cannot be removed"

    original_remove = ELBv2Backend.remove_listener_certificates
    original_modify = ELBv2Backend.modify_listener

    def remove_listener_certificates(self, arn, certificates):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
        if any(c.get("CertificateArn") == listener.certificate for c in certificates):
            raise DefaultCertificateRemoval()
        return original_remove(self, arn, certificates)

    def add_listener_certificates(self, arn, certificates):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
        balancer = self.load_balancers.get(listener.load_balancer_arn)
        listed = sum(len(other.certificates[1:]) for other in (balancer.listeners.values() if balancer is not None else [listener]))
        new = [c["CertificateArn"] for c in certificates if c["CertificateArn"] not in listener.certificates]
        if listed + len(new) > 25:
            raise TooManyCertificatesError()
        listener.certificates.extend(new)
        return listener.certificates

    def modify_listener(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None, actions=None):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
        sni = list(listener.certificates[1:])
        result = original_modify(self, arn, port, protocol, ssl_policy, certificates, actions)
        if certificates:
            result.certificates = [result.certificate] + [c for c in sni if c != result.certificate]
        return result

    ELBv2Backend.remove_listener_certificates = remove_listener_certificates
    ELBv2Backend.add_listener_certificates = add_listener_certificates
    ELBv2Backend.modify_listener = modify_listener


def refuse_deleting_certificates_in_use() -> None:
    """ACM's DeleteCertificate refuses a certificate a load balancer listener still serves, default or SNI, with
    ResourceInUseException (ACM API reference, DeleteCertificate: "You cannot delete an ACM certificate that is being
    used by another AWS service. To delete a certificate that is in use, the certificate association must first be
    removed."). moto 5.2.5 deletes it, so a certificate left attached somewhere would go unnoticed."""
    from moto.acm.models import AWSCertificateManagerBackend
    from moto.core.exceptions import AWSError
    from moto.elbv2.models import elbv2_backends

    class ResourceInUse(AWSError):
        TYPE = "ResourceInUseException"

    original = AWSCertificateManagerBackend.delete_certificate

    def delete_certificate(self, arn):
        elbv2 = elbv2_backends[self.account_id][self.region_name]
        for balancer in elbv2.load_balancers.values():
            for listener in balancer.listeners.values():
                if arn in listener.certificates:
                    raise ResourceInUse(message=f"Certificate {arn} is in use by {balancer.arn}")
        return original(self, arn)

    AWSCertificateManagerBackend.delete_certificate = delete_certificate


def evaluate_bucket_policy_conditions_as_iam_does() -> None:
    """Bucket policy conditions evaluated as IAM does (IAM User Guide, policy evaluation logic and the condition
    operators reference): a statement applies only when every condition holds, and `Bool` compares the request's
    "true"/"false" with the policy's value. moto 5.2.5 gets both wrong: its Bool check holds whatever the values
    (`"true"` against `false` passes), and a statement whose conditions fail is answered DENIED rather than not
    applying. Together they made the bootstrap stack's TLS-only bucket policy (Deny when aws:SecureTransport is false)
    lock every client out of the state bucket. Requests are evaluated with aws:SecureTransport "true": every request
    reaches AWS over TLS (the SDKs and the Terraform provider use HTTPS endpoints); only this local emulator listens on
    plain HTTP. An operator this harness does not model makes its statement apply (so a Deny stays in force)."""
    import fnmatch

    from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
    from moto.s3.models import FakeBucket

    def text(value) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    def conditions_hold(conditions: dict, values: dict) -> bool:
        for qualified, keys in conditions.items():
            operator = qualified.split(":")[-1]
            if_exists = operator.endswith("IfExists")
            operator = operator[: -len("IfExists")] if if_exists else operator
            for key, expected in keys.items():
                wanted = [text(e) for e in (expected if isinstance(expected, list) else [expected])]
                actual = values.get(key)
                if actual is None:
                    if if_exists:
                        continue
                    return False
                if operator == "Bool":
                    holds = text(actual).lower() in [w.lower() for w in wanted]
                elif operator in ("StringEquals", "ArnEquals"):
                    holds = text(actual) in wanted
                elif operator in ("StringNotEquals", "ArnNotEquals"):
                    holds = text(actual) not in wanted
                elif operator in ("StringLike", "ArnLike"):
                    holds = any(fnmatch.fnmatchcase(text(actual), w) for w in wanted)
                else:
                    holds = True
                if not holds:
                    return False
        return True

    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        conditions = self._statement.get("Condition")
        if not conditions:
            return original(self, action, resource, principal, incoming_condition_values)
        if not conditions_hold(conditions, incoming_condition_values or {}):
            return PermissionResult.NEUTRAL
        without = IAMPolicyStatement({k: v for k, v in self._statement.items() if k != "Condition"})
        return original(without, action, resource, principal, incoming_condition_values)

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return IAMPolicy(self.policy.decode()).is_action_permitted(action, resource, incoming_condition_values={"aws:SecureTransport": "true"})

    IAMPolicyStatement.is_action_permitted = is_action_permitted
    FakeBucket.get_permission = get_permission


def answer_test_event_pattern() -> None:
    """EventBridge's TestEventPattern: {"Result": <whether the event matches the pattern>} (EventBridge API reference,
    TestEventPattern). moto 5.2.5 routes the call but answers nothing (its backend raises NotImplementedError); this
    answers it with moto's own pattern matcher, the one that decides its PutEvents deliveries, so a test can ask the
    emulator, not our code, whether an event matches a rule."""
    from moto.events.models import EventPattern
    from moto.events.responses import EventsHandler

    def test_event_pattern(self):
        pattern = EventPattern.load(self._get_param("EventPattern"))
        event = json.loads(self._get_param("Event"))
        return json.dumps({"Result": pattern.matches_event(event)}), self.response_headers

    EventsHandler.test_event_pattern = test_event_pattern


def listener_attributes_as_elb_does() -> None:
    """An ALB listener's header-modification attributes as ELB documents them (ELB user guide for Application Load
    Balancers, "HTTP header modification", header-modification.html), where moto 5.2.5 stores any key and value and
    reports only what was set:

    - `routing.http.response.server.enabled` reads "true" on an HTTP or HTTPS listener until it is set ("The default
      value is true"). moto reported nothing, so the provider took the attribute for false and planned no change when
      a configuration asked for false on a listener created without it: the Server header would have stayed.
    - A `...header_value` must hold only "Alphanumeric characters: a-z, A-Z, and 0-9" and the special characters
      `_ :;.,\\/'?!(){}[]@<>=-+*#&`|~^%`, and "can not exceed 1K bytes in size"; ModifyListenerAttributes answers
      InvalidConfigurationRequest otherwise (ELB API reference, ModifyListenerAttributes, Errors). An empty value
      reverts the attribute to its default ("Setting an empty value for any attribute will cause the Application Load
      Balancer to revert to the default behavior").
    """
    from moto.elbv2.exceptions import InvalidConfigurationRequest
    from moto.elbv2.models import ELBv2Backend

    allowed = re.compile(r"^[A-Za-z0-9_ :;.,\\/'?!(){}\[\]@<>=\-+*#&`|~^%]*$")
    original_describe = ELBv2Backend.describe_listener_attributes
    original_modify = ELBv2Backend.modify_listener_attributes

    def describe_listener_attributes(self, listener_arn):
        attributes = dict(original_describe(self, listener_arn))
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[listener_arn])[0]
        if listener.protocol in ("HTTP", "HTTPS"):
            attributes.setdefault("routing.http.response.server.enabled", "true")
        return attributes

    def modify_listener_attributes(self, listener_arn, attrs):
        for attribute in attrs:
            key, value = attribute["Key"], attribute.get("Value", "")
            if key.startswith("routing.http.response.") and key.endswith(".header_value"):
                if not allowed.match(value) or len(value.encode("utf-8")) > 1024:
                    raise InvalidConfigurationRequest(f"The value of listener attribute '{key}' is not valid")
            if key == "routing.http.response.server.enabled" and value not in ("true", "false", ""):
                raise InvalidConfigurationRequest(f"The value of listener attribute '{key}' must be 'true' or 'false'")
        result = original_modify(self, listener_arn, attrs)
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[listener_arn])[0]
        if listener.attributes.get("routing.http.response.server.enabled") == "":
            listener.attributes["routing.http.response.server.enabled"] = "true"
        return self.describe_listener_attributes(listener_arn) if result is not None else result

    ELBv2Backend.describe_listener_attributes = describe_listener_attributes
    ELBv2Backend.modify_listener_attributes = modify_listener_attributes


def install_request_log(path: str) -> None:
    """Appends "<service> <Action> <account> <resource> <context JSON>" per request: the IAM action moto authorizes it
    as (S3 included), the account it acts in (an assumed role's, not always the emulator's), the resource IAM would
    authorize it on and the IAM condition keys this harness models for it (request_context), for checking the
    deployer's IAM policies against a real deploy."""
    from moto.core.authorization import ActionAuthenticatorMixin

    lock = threading.Lock()
    original = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authorize(self, iam_request_cls, resource="*"):
        try:
            service = "s3" if iam_request_cls.__name__ == "S3IAMRequest" else (getattr(self, "service_name", None) or "?")
            action = self.data.get("Action") if service == "s3" else self._get_action()
            target = resource if service == "s3" else request_resource(self, service, action)
            context = json.dumps(request_context(self, service, action), separators=(",", ":"), sort_keys=True)
            lines = [f"{service} {action} {self.current_account} {target or '*'} {context}\n"]
            # Further actions IAM authorizes the same request as (the service documents each): one line each.
            for implied, implied_target in implied_actions(self, service, action, target or "*"):
                lines.append(f"{service} {implied} {self.current_account} {implied_target} {context}\n")
            with lock, open(path, "a") as log:
                log.writelines(lines)
        except Exception as error:  # never let logging break the emulator
            with lock, open(path, "a") as log:
                log.write(f"? logging-failed ? * {json.dumps({'error': repr(error)})}\n")
        return original(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize


def request_param(response, name: str):
    """A request parameter: query/form protocols (ELB, CloudWatch, SNS, STS) or JSON bodies (ACM, KMS)."""
    value = (getattr(response, "querystring", None) or {}).get(name)
    if value:
        return value[0] if isinstance(value, list) else value
    try:
        body = json.loads(response.body) if response.body else {}
        if isinstance(body, dict) and name in body:
            return body[name]
    except (ValueError, TypeError):
        pass
    try:
        return response._get_param(name)
    except Exception:
        return None


def request_resource(response, service: str, action: str) -> str:
    """The ARN IAM authorizes the call on, from its parameters ("*" where the action has no resource, or for reads
    this harness does not resolve: every policy under test grants those on "*")."""
    region, account = response.region, response.current_account
    param = lambda name: request_param(response, name)  # noqa: E731
    if service == "sts" and action == "AssumeRole":
        return param("RoleArn") or "*"
    if service == "acm":
        return param("CertificateArn") or "*"
    if service == "elbv2":
        if action.startswith("Describe"):
            return "*"
        return next((value for value in map(param, ("ListenerArn", "TrustStoreArn", "ResourceArns.member.1", "LoadBalancerArn")) if value), "*")
    if service == "cloudwatch":
        if action in ("ListTagsForResource", "TagResource", "UntagResource"):
            return param("ResourceARN") or "*"
        name = param("AlarmName") or param("AlarmNames.member.1")
        if isinstance(name, list):
            name = name[0] if name else None
        if action == "DescribeAlarms":
            # The resource CloudWatch has been seen to authorize it on ("... cloudwatch:DescribeAlarms on resource:
            # arn:aws:cloudwatch:<region>:<account>:alarm:*"); a Resource that covers it covers any named alarm too.
            return f"arn:aws:cloudwatch:{region}:{account}:alarm:*"
        if not name:
            return "*"
        return f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"
    if service == "sns":
        if action == "CreateTopic":
            return f"arn:aws:sns:{region}:{account}:{param('Name')}"
        topic = param("TopicArn") or param("ResourceArn")
        if topic:
            return topic
        subscription = param("SubscriptionArn")
        # A subscription's actions are authorized on its topic: the ARN without the subscription id.
        return subscription.rsplit(":", 1)[0] if subscription else "*"
    if service == "kms":
        key = param("KeyId")
        if not key:
            return "*"
        return key if key.startswith("arn:") else f"arn:aws:kms:{region}:{account}:key/{key}"
    if service == "events":
        if action in ("TagResource", "UntagResource", "ListTagsForResource"):
            return param("ResourceARN") or "*"
        rule = param("Name") if action in ("PutRule", "DeleteRule", "DescribeRule", "EnableRule", "DisableRule") else param("Rule")
        return f"arn:aws:events:{region}:{account}:rule/{rule}" if rule else "*"
    if service == "route53":
        for kind in ("hostedzone", "change"):
            found = re.search(rf"/{kind}/([^/?]+)", response.path or "")
            if found:
                return f"arn:aws:route53:::{kind}/{found.group(1)}"
    return "*"


def implied_actions(response, service: str, action: str, target: str) -> list:
    """Actions a request is also authorized as, besides its own, as the services document them:
    - KMS CreateKey with Tags: "To use the Tags parameter, kms:TagResource (IAM policy)" (KMS API reference, CreateKey;
      the key does not exist yet, so on no particular key: "*");
    - SNS CreateTopic with Tags: "To be able to tag an SNS topic on creation, you must have the sns:CreateTopic and
      sns:TagResource permissions" (SNS API reference, CreateTopic), on the topic being created."""
    if service == "kms" and action == "CreateKey" and request_param(response, "Tags"):
        return [("TagResource", "*")]
    if service == "sns" and action == "CreateTopic" and (request_param(response, "Tags.member.1.Key") or request_param(response, "Tags")):
        return [("TagResource", target)]
    return []


def request_context(response, service: str, action: str) -> dict:
    """The IAM condition keys the bootstrap policies use, as the request sets them (null: the request has none)."""
    context = {"aws:RequestedRegion": response.region}
    if service == "s3" and action == "ListBucket":
        prefix = (getattr(response, "querystring", None) or {}).get("prefix")
        context["s3:prefix"] = (prefix[0] if isinstance(prefix, list) else prefix) if prefix else None
    if service == "route53" and action == "ChangeResourceRecordSets":
        import xmltodict

        changes = xmltodict.parse(response.body)["ChangeResourceRecordSetsRequest"]["ChangeBatch"]["Changes"]["Change"]
        changes = changes if isinstance(changes, list) else [changes]
        sets = [change["ResourceRecordSet"] for change in changes]
        context["route53:ChangeResourceRecordSetsActions"] = sorted({change["Action"] for change in changes})
        context["route53:ChangeResourceRecordSetsRecordTypes"] = sorted({record["Type"] for record in sets})
        context["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = sorted({record["Name"].lower().rstrip(".") for record in sets})
    if service == "kms" and action == "CreateKey":
        tags = request_param(response, "Tags") or []
        context["aws:TagKeys"] = sorted(tag["TagKey"] for tag in tags)
        for tag in tags:
            context[f"aws:RequestTag/{tag['TagKey']}"] = tag["TagValue"]
    return context


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception as error:  # one clear line for the TypeScript side
        sys.stderr.write(f"emulator: {type(error).__name__}: {error}\n")
        sys.exit(1)
