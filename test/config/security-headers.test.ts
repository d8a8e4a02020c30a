import { environmentProblems, HEADER_VALUE_MAX_BYTES, HEADER_VALUE_SPECIAL_CHARACTERS, SecurityHeadersConfig, securityHeaderAttributes } from "../../lib";
import { baseEnvironment } from "../fixtures/environments";

const problemsOf = (securityHeaders: unknown) =>
  environmentProblems([{ ...baseEnvironment(), securityHeaders }]).map((p) => `${p.path}: ${p.message}`);

describe("securityHeaderAttributes", () => {
  test("by default sends X-Content-Type-Options: nosniff and keeps the Server header, and adds nothing else", () => {
    for (const config of [undefined, {}]) {
      expect(securityHeaderAttributes(config)).toEqual({
        xContentTypeOptions: "nosniff",
        xFrameOptions: undefined,
        contentSecurityPolicy: undefined,
        serverEnabled: true,
      });
    }
  });

  test("leaves every attribute unset with securityHeaders: false, the Server switch included", () => {
    expect(securityHeaderAttributes(false)).toEqual({});
  });

  test("writes each configured value, leaves a header set to false unset, and writes serverHeader: false as false", () => {
    const config: SecurityHeadersConfig = { xContentTypeOptions: false, xFrameOptions: "SAMEORIGIN", contentSecurityPolicy: "frame-ancestors 'self'", serverHeader: false };
    expect(securityHeaderAttributes(config)).toEqual({
      xContentTypeOptions: undefined,
      xFrameOptions: "SAMEORIGIN",
      contentSecurityPolicy: "frame-ancestors 'self'",
      serverEnabled: false,
    });
  });
});

describe("the securityHeaders field", () => {
  test("accepts false, {} and every value each header defines", () => {
    for (const value of [false, {}, { xContentTypeOptions: "nosniff" }, { xContentTypeOptions: false }, { xFrameOptions: "DENY" }, { xFrameOptions: "SAMEORIGIN" }, { xFrameOptions: false }, { contentSecurityPolicy: false }, { serverHeader: false }]) {
      expect([value, problemsOf(value)]).toEqual([value, []]);
    }
  });

  test("accepts a Content-Security-Policy of exactly ELB's 1,024 bytes, and one using every character ELB allows", () => {
    const prefix = "default-src 'self' https://";
    const suffix = ".example.net";
    const longest = `${prefix}${"a".repeat(HEADER_VALUE_MAX_BYTES - prefix.length - suffix.length)}${suffix}`;
    expect(longest).toHaveLength(1024);
    expect(problemsOf({ contentSecurityPolicy: longest })).toEqual([]);
    // Every special character ELB documents, in a source expression where a policy could hold it.
    const everyCharacter = `default-src 'self' https://x.example.net/${HEADER_VALUE_SPECIAL_CHARACTERS.replace(/[ ;]/g, "")}`;
    expect(problemsOf({ contentSecurityPolicy: everyCharacter })).toEqual([]);
  });

  test("refuses each character outside ELB's documented set on its own, and accepts each inside it", () => {
    for (const character of ['"', "$", "é", "\u00a0"]) {
      expect([character, problemsOf({ contentSecurityPolicy: `default-src 'self' https://a${character}.example.net` })]).toEqual([
        character,
        [expect.stringMatching(/^securityHeaders\.contentSecurityPolicy: contains '.+'( \(U\+[0-9A-F]{4}\))?, which ELB refuses in a header value/)],
      ]);
    }
    for (const character of [...HEADER_VALUE_SPECIAL_CHARACTERS].filter((c) => c !== ";" && c !== " ")) {
      expect([character, problemsOf({ contentSecurityPolicy: `default-src https://a${character}.example.net` })]).toEqual([character, []]);
    }
  });

  test("reports a carriage return as a line break, not as a control character", () => {
    expect(problemsOf({ contentSecurityPolicy: "default-src 'self';\rscript-src 'self'" })).toEqual([
      "securityHeaders.contentSecurityPolicy: must be one line: a line break cannot be part of a header value",
    ]);
  });
});
