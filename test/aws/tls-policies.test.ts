import {
  ALB_TLS_POLICIES,
  allowsOnlyModernTls,
  compareTlsVersions,
  DEFAULT_TLS_POLICY,
  findAlbTlsPolicy,
  MINIMUM_TLS_VERSION,
  modernTlsPolicyNames,
  type AlbTlsPolicy,
  type TlsVersion,
} from "../../lib/aws/tls-policies";

/** Looks a name up and fails the test, with the name, when the catalogue does not know it. */
function known(name: string): AlbTlsPolicy {
  const policy = findAlbTlsPolicy(name);
  if (policy === undefined) throw new Error(`${name} is not in ALB_TLS_POLICIES`);
  return policy;
}

const names = ALB_TLS_POLICIES.map((p) => p.name);

describe("the default TLS policy", () => {
  it("is AWS's recommended post-quantum policy and is in the catalogue", () => {
    expect(DEFAULT_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    expect(findAlbTlsPolicy(DEFAULT_TLS_POLICY)).toEqual({
      name: DEFAULT_TLS_POLICY,
      minTlsVersion: "TLSv1.2",
      maxTlsVersion: "TLSv1.3",
      fips: false,
      postQuantum: true,
    });
  });

  it("allows only TLS 1.2 or newer", () => {
    expect(MINIMUM_TLS_VERSION).toBe("TLSv1.2");
    expect(allowsOnlyModernTls(known(DEFAULT_TLS_POLICY))).toBe(true);
    expect(modernTlsPolicyNames()).toContain(DEFAULT_TLS_POLICY);
  });
});

describe("policies that still allow TLS 1.0 or 1.1", () => {
  it("include the API default ELBSecurityPolicy-2016-08, known but not modern because it allows TLS 1.0", () => {
    const policy = known("ELBSecurityPolicy-2016-08");
    expect(policy.minTlsVersion).toBe("TLSv1");
    expect(policy.maxTlsVersion).toBe("TLSv1.2");
    expect(allowsOnlyModernTls(policy)).toBe(false);
    expect(modernTlsPolicyNames()).not.toContain("ELBSecurityPolicy-2016-08");
  });

  it.each([
    ["ELBSecurityPolicy-TLS13-1-0-2021-06", "TLSv1"],
    ["ELBSecurityPolicy-TLS13-1-1-2021-06", "TLSv1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "TLSv1"],
    ["ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "TLSv1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "TLSv1"],
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "TLSv1"],
  ] as const)("include %s: known, offers TLS 1.3, but its oldest protocol is %s", (name, oldest) => {
    const policy = known(name);
    expect(policy.minTlsVersion).toBe(oldest);
    expect(policy.maxTlsVersion).toBe("TLSv1.3");
    expect(allowsOnlyModernTls(policy)).toBe(false);
  });

  it("are exactly these twelve, so a new TLS 1.0/1.1 policy cannot slip into the modern list unnoticed", () => {
    const notModern = ALB_TLS_POLICIES.filter((p) => !allowsOnlyModernTls(p)).map((p) => p.name);
    expect(notModern).toEqual([
      "ELBSecurityPolicy-2015-05",
      "ELBSecurityPolicy-2016-08",
      "ELBSecurityPolicy-FS-1-1-2019-08",
      "ELBSecurityPolicy-FS-2018-06",
      "ELBSecurityPolicy-TLS-1-0-2015-04",
      "ELBSecurityPolicy-TLS-1-1-2017-01",
      "ELBSecurityPolicy-TLS13-1-0-2021-06",
      "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-1-2021-06",
      "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    ]);
  });
});

describe("the catalogue", () => {
  it("has no duplicate names", () => {
    expect(new Set(names).size).toBe(names.length);
  });

  it("is sorted by name", () => {
    const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(names).toEqual(sorted);
  });

  it("holds every post-quantum 2025-09 policy AWS documents, and only those", () => {
    expect(ALB_TLS_POLICIES.filter((p) => p.postQuantum).map((p) => p.name)).toEqual([
      "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    ]);
  });

  it("flags a policy post-quantum exactly when AWS's name says PQ, and FIPS exactly when it says FIPS", () => {
    for (const p of ALB_TLS_POLICIES) {
      expect({ name: p.name, postQuantum: p.postQuantum }).toEqual({ name: p.name, postQuantum: /-PQ-/.test(p.name) });
      expect({ name: p.name, fips: p.fips }).toEqual({ name: p.name, fips: /-FIPS-/.test(p.name) });
    }
  });

  it("never records an oldest protocol newer than the newest", () => {
    for (const p of ALB_TLS_POLICIES) {
      expect({ name: p.name, ordered: compareTlsVersions(p.minTlsVersion, p.maxTlsVersion) <= 0 }).toEqual({
        name: p.name,
        ordered: true,
      });
    }
  });

  it("offers TLS 1.3 in every TLS13 policy and in no older-generation policy", () => {
    for (const p of ALB_TLS_POLICIES) {
      const expected: TlsVersion = p.name.startsWith("ELBSecurityPolicy-TLS13-") ? "TLSv1.3" : "TLSv1.2";
      expect({ name: p.name, max: p.maxTlsVersion }).toEqual({ name: p.name, max: expected });
    }
  });

  it.each([
    ["ELBSecurityPolicy-TLS13-1-3-2021-06", "TLSv1.3"],
    ["ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "TLSv1.3"],
    ["ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "TLSv1.3"],
    ["ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07", "TLSv1.3"],
    ["ELBSecurityPolicy-TLS13-1-2-2021-06", "TLSv1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07", "TLSv1.2"],
    ["ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "TLSv1.2"],
    ["ELBSecurityPolicy-TLS-1-2-2017-01", "TLSv1.2"],
    ["ELBSecurityPolicy-TLS-1-1-2017-01", "TLSv1.1"],
    ["ELBSecurityPolicy-FS-1-2-Res-2020-10", "TLSv1.2"],
    ["ELBSecurityPolicy-FS-2018-06", "TLSv1"],
  ] as const)("records %s with oldest protocol %s, as AWS documents", (name, oldest) => {
    expect(known(name).minTlsVersion).toBe(oldest);
  });

  it("cannot be changed at runtime", () => {
    expect(Object.isFrozen(ALB_TLS_POLICIES)).toBe(true);
    expect(ALB_TLS_POLICIES.every((p) => Object.isFrozen(p))).toBe(true);
  });
});

describe("findAlbTlsPolicy", () => {
  it.each([
    ["an empty name", ""],
    ["a name in the wrong case", "elbsecuritypolicy-tls13-1-2-res-pq-2025-09"],
    ["a name with surrounding whitespace", ` ${DEFAULT_TLS_POLICY} `],
    ["a made-up name", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2099-01"],
    ["a plausible but undocumented PQ name", "ELBSecurityPolicy-TLS13-1-1-PQ-2025-09"],
    ["a non-FIPS Ext0 PQ name AWS does not publish", "ELBSecurityPolicy-TLS13-1-2-Ext0-PQ-2025-09"],
    ["an inherited object property", "constructor"],
  ])("returns undefined for %s", (_what, name) => {
    expect(findAlbTlsPolicy(name)).toBeUndefined();
  });

  it("returns the catalogue's own entry for every listed name", () => {
    for (const p of ALB_TLS_POLICIES) expect(findAlbTlsPolicy(p.name)).toBe(p);
  });
});

describe("modernTlsPolicyNames", () => {
  it("lists exactly the policies whose oldest protocol is TLS 1.2 or newer, sorted", () => {
    const modern = modernTlsPolicyNames();
    expect(modern).toEqual(
      ALB_TLS_POLICIES.filter((p) => p.minTlsVersion === "TLSv1.2" || p.minTlsVersion === "TLSv1.3").map((p) => p.name),
    );
    expect(modern).toEqual([...modern].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(modern).toContain("ELBSecurityPolicy-TLS13-1-3-2021-06");
    expect(modern).not.toContain("ELBSecurityPolicy-TLS13-1-1-2021-06");
  });

  it("returns a fresh array, so a caller's changes do not leak into the next call", () => {
    const first = modernTlsPolicyNames();
    first.length = 0;
    expect(modernTlsPolicyNames()).toContain(DEFAULT_TLS_POLICY);
  });
});

describe("compareTlsVersions", () => {
  const oldestFirst: TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

  it("orders TLS 1.0 < 1.1 < 1.2 < 1.3 for every pair, in both directions", () => {
    for (const [i, a] of oldestFirst.entries()) {
      for (const [j, b] of oldestFirst.entries()) {
        expect({ a, b, sign: Math.sign(compareTlsVersions(a, b)) }).toEqual({ a, b, sign: Math.sign(i - j) });
      }
    }
  });

  it("sorts a shuffled list oldest first", () => {
    expect((["TLSv1.2", "TLSv1.3", "TLSv1", "TLSv1.1"] as TlsVersion[]).sort(compareTlsVersions)).toEqual(oldestFirst);
  });

  it("rejects a version it does not know instead of ranking it", () => {
    expect(() => compareTlsVersions("TLSv1.0" as TlsVersion, "TLSv1.2")).toThrow(RangeError);
    expect(() => compareTlsVersions("TLSv1.2", "SSLv3" as TlsVersion)).toThrow(/unknown TLS version "SSLv3"/);
  });
});
