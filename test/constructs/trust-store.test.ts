import { LbTrustStore } from "@cdktf/provider-aws/lib/lb-trust-store";
import { Testing } from "cdktf";
import { TrustStore, TrustStoreProps } from "../../lib";

function synthTrustStore(props: Partial<TrustStoreProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new TrustStore(scope, "Clients", { bucket: "example-ca-bundles", key: "edge/clients.pem", ...props });
  });
  return { json, trustStore: Object.values(JSON.parse(json).resource.aws_lb_trust_store)[0] as any };
}

describe("TrustStore", () => {
  test("builds an ALB trust store from the CA bundle's bucket and key", () => {
    const { json } = synthTrustStore();
    expect(json).toHaveResourceWithProperties(LbTrustStore, {
      ca_certificates_bundle_s3_bucket: "example-ca-bundles",
      ca_certificates_bundle_s3_key: "edge/clients.pem",
    });
  });

  test("is replaced by creating the new one first, since the listener still uses the old one", () => {
    expect(synthTrustStore().trustStore.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("leaves the name to the provider by default, so a replacement cannot collide with the old name", () => {
    const { trustStore } = synthTrustStore();
    expect(trustStore).not.toHaveProperty("name");
    expect(trustStore).not.toHaveProperty("name_prefix");
    expect(trustStore).not.toHaveProperty("tags");
    expect(trustStore).not.toHaveProperty("ca_certificates_bundle_s3_object_version");
  });

  test("tags the trust store when asked", () => {
    expect(synthTrustStore({ tags: { team: "edge" } }).trustStore.tags).toEqual({ team: "edge" });
  });
  test("adds each revocation list to the trust store, created before its predecessor is removed", () => {
    const lists = [
      { bucket: "example-crls", key: "edge/ca-1.crl" },
      { bucket: "example-crls", key: "edge/ca-2.crl" },
    ];
    const { json } = synthTrustStore({ revocationLists: lists });
    const resources = JSON.parse(json).resource;
    const storeId = Object.keys(resources.aws_lb_trust_store)[0];
    const revocations = Object.values(resources.aws_lb_trust_store_revocation) as any[];
    expect(revocations.map((r) => [r.revocations_s3_bucket, r.revocations_s3_key])).toEqual(lists.map((l) => [l.bucket, l.key]));
    for (const revocation of revocations) {
      expect(revocation.trust_store_arn).toBe(`\${aws_lb_trust_store.${storeId}.arn}`);
      expect(revocation.lifecycle).toEqual({ create_before_destroy: true });
      expect(revocation).not.toHaveProperty("revocations_s3_object_version");
    }
  });

  test("keys each revocation list by its location, so removing one leaves the others' addresses alone", () => {
    const ids = (keys: string[]) =>
      Object.keys(JSON.parse(synthTrustStore({ revocationLists: keys.map((key) => ({ bucket: "example-crls", key })) }).json).resource.aws_lb_trust_store_revocation ?? {});
    const both = ids(["ca-1.crl", "ca-2.crl"]);
    expect(both).toHaveLength(2);
    expect(ids(["ca-2.crl"])).toEqual([both[1]]);
    expect(ids([])).toEqual([]);
  });
});
