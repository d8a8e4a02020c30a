import { isUnderZone, validationGroups, validationName, zoneApexFor } from "../../lib";

describe("zoneApexFor", () => {
  const zones = ["example.com", "api.example.com", "example.org"];

  test("picks the zone whose apex is the longest matching suffix", () => {
    expect(zoneApexFor("v1.api.example.com", zones)).toBe("api.example.com");
    expect(zoneApexFor("www.example.com", zones)).toBe("example.com");
  });

  test("validates a wildcard in the zone of its parent name", () => {
    expect(zoneApexFor("*.api.example.com", zones)).toBe("api.example.com");
    expect(zoneApexFor("*.example.com", zones)).toBe("example.com");
  });

  test("matches an apex itself but not a name that only ends with the same characters", () => {
    expect(zoneApexFor("example.org", zones)).toBe("example.org");
    expect(zoneApexFor("badexample.com", zones)).toBeUndefined();
    expect(isUnderZone("badexample.com", "example.com")).toBe(false);
  });
});

describe("validationGroups", () => {
  test("gives a name and its wildcard one group, looked up under the plain name", () => {
    expect(validationGroups(["example.com", "*.example.com"])).toEqual([
      { validationName: "example.com", lookupName: "example.com", certificateNames: ["example.com", "*.example.com"] },
    ]);
  });

  test("looks a lone wildcard up under the wildcard, the only name ACM lists for it", () => {
    expect(validationGroups(["*.api.example.com"])).toEqual([
      { validationName: "api.example.com", lookupName: "*.api.example.com", certificateNames: ["*.api.example.com"] },
    ]);
  });

  test("sorts groups by validation name so output is stable whatever the input order", () => {
    const names = ["www.example.com", "*.api.example.com", "example.com", "api.example.com"];
    const forward = validationGroups(names).map((g) => g.validationName);
    const backward = validationGroups([...names].reverse()).map((g) => g.validationName);
    expect(forward).toEqual(["api.example.com", "example.com", "www.example.com"]);
    expect(backward).toEqual(forward);
  });

  test("strips only a leading wildcard label", () => {
    expect(validationName("*.example.com")).toBe("example.com");
    expect(validationName("example.com")).toBe("example.com");
  });
});
