/** Parsing of the Elastic Load Balancing ARNs an environment names. */

export interface ElbArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `loadbalancer` or `targetgroup`. */
  readonly kind: "loadbalancer" | "targetgroup";
  readonly name: string;
  /** The 16-hex-digit id after the name. */
  readonly id: string;
}

const PARTITIONS = "aws|aws-cn|aws-us-gov";
const ALB_ARN = new RegExp(
  `^arn:(${PARTITIONS}):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/app/([A-Za-z0-9-]{1,32})/([0-9a-f]{16})$`,
);
const TARGET_GROUP_ARN = new RegExp(
  `^arn:(${PARTITIONS}):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):targetgroup/([A-Za-z0-9-]{1,32})/([0-9a-f]{16})$`,
);

/** Parses an Application Load Balancer ARN; undefined for anything else (including network/gateway LBs). */
export function parseAlbArn(arn: string): ElbArn | undefined {
  const match = ALB_ARN.exec(arn);
  return match ? { partition: match[1], region: match[2], account: match[3], kind: "loadbalancer", name: match[4], id: match[5] } : undefined;
}

/** Parses a target group ARN; undefined when malformed. */
export function parseTargetGroupArn(arn: string): ElbArn | undefined {
  const match = TARGET_GROUP_ARN.exec(arn);
  return match ? { partition: match[1], region: match[2], account: match[3], kind: "targetgroup", name: match[4], id: match[5] } : undefined;
}

/** Why an ARN that failed to parse is wrong, as specifically as can be said. */
export function describeBadElbArn(arn: string, expected: "loadbalancer/app" | "targetgroup"): string {
  // A well-formed ARN of the wrong kind is named as such, not called malformed.
  const otherKind = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(loadbalancer\/(app|net|gwy)\/|targetgroup\/)/.exec(arn);
  if (expected === "loadbalancer/app" && otherKind?.[2] === "net") {
    return "is a Network Load Balancer, not an Application Load Balancer (expected loadbalancer/app/<name>/<id>)";
  }
  if (expected === "loadbalancer/app" && otherKind?.[2] === "gwy") {
    return "is a Gateway Load Balancer, not an Application Load Balancer (expected loadbalancer/app/<name>/<id>)";
  }
  if (expected === "loadbalancer/app" && otherKind?.[1] === "targetgroup/") {
    return "is a target group ARN, not a load balancer ARN (expected loadbalancer/app/<name>/<id>)";
  }
  if (expected === "targetgroup" && otherKind?.[2] !== undefined) {
    return "is a load balancer ARN, not a target group ARN (expected targetgroup/<name>/<id>)";
  }
  if (!arn.startsWith("arn:")) return "is not an ARN";
  if (!/^arn:[^:]+:elasticloadbalancing:/.test(arn)) return "is not an Elastic Load Balancing ARN";
  return `is malformed (expected arn:aws:elasticloadbalancing:<region>:<12-digit account>:${expected}/<name>/<16 hex id>)`;
}

/** An Application Load Balancer listener: `...:listener/app/<lb name>/<lb id>/<listener id>`. */
export interface ListenerArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** Name and id of the load balancer the listener belongs to. */
  readonly loadBalancerName: string;
  readonly loadBalancerId: string;
  readonly listenerId: string;
}

const LISTENER_ARN = new RegExp(
  `^arn:(${PARTITIONS}):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):listener/app/([A-Za-z0-9-]{1,32})/([0-9a-f]{16})/([0-9a-f]{16})$`,
);

/** Parses an Application Load Balancer listener ARN; undefined for anything else (rules, other LB types). */
export function parseListenerArn(arn: string): ListenerArn | undefined {
  const match = LISTENER_ARN.exec(arn);
  return match
    ? { partition: match[1], region: match[2], account: match[3], loadBalancerName: match[4], loadBalancerId: match[5], listenerId: match[6] }
    : undefined;
}

/** Why a string that failed parseListenerArn is not an ALB listener ARN, as specifically as can be said. */
export function describeBadListenerArn(arn: string): string {
  if (/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:listener-rule\//.test(arn)) return "is a listener rule ARN, not a listener ARN";
  if (/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:listener\/(net|gwy)\//.test(arn)) {
    return "is a listener of a Network or Gateway Load Balancer, not of an Application Load Balancer";
  }
  if (/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(loadbalancer|targetgroup)\//.test(arn)) {
    return "is a load balancer or target group ARN, not a listener ARN (expected listener/app/<lb name>/<lb id>/<listener id>)";
  }
  if (!arn.startsWith("arn:")) return "is not an ARN";
  if (!/^arn:[^:]+:elasticloadbalancing:/.test(arn)) return "is not an Elastic Load Balancing ARN";
  return "is malformed (expected arn:aws:elasticloadbalancing:<region>:<12-digit account>:listener/app/<lb name>/<16 hex lb id>/<16 hex listener id>)";
}

/** A parsed IAM role ARN. */
export interface IamRoleArn {
  readonly partition: string;
  readonly account: string;
  /** The role's path and name, e.g. `dns/route53-records`. */
  readonly name: string;
}

// IAM: a path of "/"-separated segments, then the name (1-64 of letters, digits and +=,.@_-).
const IAM_ROLE_ARN = new RegExp(`^arn:(${PARTITIONS}):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64})$`);

/** Parses an IAM role ARN; undefined for anything else (users, instance profiles, assumed-role sessions). */
export function parseIamRoleArn(arn: string): IamRoleArn | undefined {
  const match = IAM_ROLE_ARN.exec(arn);
  return match ? { partition: match[1], account: match[2], name: match[3] } : undefined;
}

/** Why a string is not an IAM role ARN, as specifically as can be said. */
export function describeBadIamRoleArn(arn: string): string {
  if (!arn.startsWith("arn:")) return "is not an ARN";
  if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(arn)) return "is an assumed-role session ARN, not a role ARN (expected arn:aws:iam::<account>:role/<name>)";
  if (!/^arn:[^:]+:iam:/.test(arn)) return "is not an IAM ARN (expected arn:aws:iam::<account>:role/<name>)";
  if (/^arn:[^:]+:iam::\d{12}:(user|group|policy|instance-profile)\//.test(arn)) {
    return `is an IAM ${/:(user|group|policy|instance-profile)\//.exec(arn)![1]} ARN, not a role ARN`;
  }
  return "is malformed (expected arn:aws:iam::<12-digit account>:role/<name>)";
}

/** A parsed SNS topic ARN. */
export interface SnsTopicArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const SNS_TOPIC_ARN = new RegExp(`^arn:(${PARTITIONS}):sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256}(?:\\.fifo)?)$`);

/** Parses an SNS topic ARN; undefined when malformed (a subscription ARN has one more `:<id>` and fails). */
export function parseSnsTopicArn(arn: string): SnsTopicArn | undefined {
  const match = SNS_TOPIC_ARN.exec(arn);
  return match ? { partition: match[1], region: match[2], account: match[3], name: match[4] } : undefined;
}

/**
 * The partition of a region, as this project's ARNs know them: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`,
 * `aws` for the rest.
 */
export function partitionOfRegion(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
