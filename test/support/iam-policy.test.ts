/** The IAM model the emulator suites check the bootstrap roles with: its own unit tests, each a way it could lie. */
import { PolicyStatement } from "../../lib/bootstrap/bootstrap-policies";
import { callsNotAllowed, resourceMatches, statementAllows } from "./iam-policy";

const allow = (statement: Partial<PolicyStatement>): PolicyStatement => ({ Sid: "S", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", ...statement });
const call = (resource: string, context: Record<string, string | string[] | null> = {}) => ({ resource, context });

describe("the IAM model of the emulator suites", () => {
  test("matches IAM's wildcards in resources: * any run, ? exactly one character", () => {
    expect(resourceMatches("arn:aws:acm:us-east-1:111111111111:certificate/*", "arn:aws:acm:us-east-1:111111111111:certificate/abc")).toBe(true);
    expect(resourceMatches("_???.example.com", "_abc.example.com")).toBe(true);
    expect(resourceMatches("_???.example.com", "_abcd.example.com")).toBe(false);
  });

  test("lets a call authorized on no particular resource through only a statement with Resource *", () => {
    expect(statementAllows(allow({ Resource: "*" }), "kms:CreateKey", call("*"))).toBe(true);
    expect(statementAllows(allow({ Resource: "arn:aws:kms:us-east-1:111111111111:key/*" }), "kms:CreateKey", call("*"))).toBe(false);
  });

  test("fails closed on a condition key the log does not model", () => {
    const tagged = allow({ Action: "kms:TagResource", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/stack": "tls-qa" } } });
    // The log models no resource tags: the statement allows nothing, whatever the call.
    expect(statementAllows(tagged, "kms:TagResource", call("*", { "aws:RequestedRegion": "us-east-1" }))).toBe(false);
    // A request tag is modelled where the call's tag keys are known.
    const requestTagged = allow({ Condition: { StringEquals: { "aws:RequestTag/stack": "tls-qa" } } });
    expect(statementAllows(requestTagged, "kms:CreateKey", call("*", { "aws:TagKeys": ["stack"], "aws:RequestTag/stack": "tls-qa" }))).toBe(true);
    expect(statementAllows(requestTagged, "kms:CreateKey", call("*", { "aws:TagKeys": ["stack"], "aws:RequestTag/stack": "tls-prod" }))).toBe(false);
  });

  test("fails closed on an operator it does not know", () => {
    const numeric = allow({ Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } as never });
    expect(statementAllows(numeric, "kms:CreateKey", call("*", { "aws:MultiFactorAuthAge": "10" }))).toBe(false);
  });

  test("evaluates ForAllValues over every value and a single-valued key as absent when the request has none", () => {
    const names = allow({ Action: "route53:ChangeResourceRecordSets", Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_*.example.com"] } } });
    const key = "route53:ChangeResourceRecordSetsNormalizedRecordNames";
    expect(statementAllows(names, "route53:ChangeResourceRecordSets", call("*", { [key]: ["_a.example.com", "_b.example.com"] }))).toBe(true);
    expect(statementAllows(names, "route53:ChangeResourceRecordSets", call("*", { [key]: ["_a.example.com", "www.example.com"] }))).toBe(false);
    const region = allow({ Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } });
    expect(statementAllows(region, "kms:CreateKey", call("*", { "aws:RequestedRegion": null }))).toBe(false);
  });

  test("reports the calls no statement allows, once each", () => {
    const policy = { Version: "2012-10-17" as const, Statement: [allow({ Action: "acm:DescribeCertificate", Resource: "arn:aws:acm:*" })] };
    const calls = [
      { service: "acm", action: "DescribeCertificate", account: "1", resource: "arn:aws:acm:us-east-1:1:certificate/a", context: {}, call: "acm DescribeCertificate" },
      { service: "acm", action: "DeleteCertificate", account: "1", resource: "arn:aws:acm:us-east-1:1:certificate/a", context: {}, call: "acm DeleteCertificate" },
      { service: "acm", action: "DeleteCertificate", account: "1", resource: "arn:aws:acm:us-east-1:1:certificate/a", context: {}, call: "acm DeleteCertificate" },
    ];
    expect(callsNotAllowed(policy, calls)).toEqual(["acm:DeleteCertificate arn:aws:acm:us-east-1:1:certificate/a {}"]);
  });
});
