import { HSTS_MAX_AGE_LIMIT, HSTS_PRELOAD_MIN_MAX_AGE, hstsHeaderValue } from "../../lib";

describe("hstsHeaderValue", () => {
  test("writes max-age alone when nothing else is asked", () => {
    expect(hstsHeaderValue({ maxAgeSeconds: 300 })).toBe("max-age=300");
  });

  test("writes the directives in RFC 6797 spelling, separated by '; '", () => {
    expect(hstsHeaderValue({ maxAgeSeconds: 31536000, includeSubDomains: true })).toBe("max-age=31536000; includeSubDomains");
    expect(hstsHeaderValue({ maxAgeSeconds: 31536000, includeSubDomains: true, preload: true })).toBe(
      "max-age=31536000; includeSubDomains; preload",
    );
  });

  test("leaves out directives set to false", () => {
    expect(hstsHeaderValue({ maxAgeSeconds: 60, includeSubDomains: false, preload: false })).toBe("max-age=60");
  });

  test("uses the preload list's one year and a two-year cap", () => {
    expect(HSTS_PRELOAD_MIN_MAX_AGE).toBe(365 * 24 * 3600);
    expect(HSTS_MAX_AGE_LIMIT).toBe(2 * 365 * 24 * 3600);
  });
});
