import { LbListenerCertificate } from "@cdktf/provider-aws/lib/lb-listener-certificate";
import { Testing } from "cdktf";
import { DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA, ListenerCertificates, ListenerCertificatesProps } from "../../lib";

const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/f2f7dc8efc522ab2";
const cert = (n: number) => `arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-${String(n).padStart(12, "0")}`;

function synthAttachments(props: Partial<ListenerCertificatesProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new ListenerCertificates(scope, "Sni", { listenerArn: LISTENER, certificates: { RsaFallback: cert(1), "Additional-shop_example_org": cert(2) }, ...props });
  });
  return { json, attachments: Object.entries(JSON.parse(json).resource?.aws_lb_listener_certificate ?? {}) as Array<[string, any]> };
}

describe("ListenerCertificates", () => {
  test("attaches each certificate to the listener with its own aws_lb_listener_certificate", () => {
    const { json, attachments } = synthAttachments();
    expect(attachments).toHaveLength(2);
    expect(json).toHaveResourceWithProperties(LbListenerCertificate, { listener_arn: LISTENER, certificate_arn: cert(1) });
    expect(json).toHaveResourceWithProperties(LbListenerCertificate, { listener_arn: LISTENER, certificate_arn: cert(2) });
  });

  test("names each attachment after its purpose, so others coming and going never move it", () => {
    const ids = synthAttachments().attachments.map(([id]) => id.replace(/_[0-9A-F]{8}$/, ""));
    expect(ids.sort()).toEqual(["Sni_Additional-shop_example_org", "Sni_RsaFallback"]);
    const alone = synthAttachments({ certificates: { "Additional-shop_example_org": cert(2) } }).attachments.map(([id]) => id);
    expect(synthAttachments().attachments.map(([id]) => id)).toContain(alone[0]);
  });

  test("is create_before_destroy, so a replaced certificate is attached before the old one is detached", () => {
    for (const [, attachment] of synthAttachments().attachments) expect(attachment.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("creates nothing for no certificates", () => {
    expect(synthAttachments({ certificates: {} }).attachments).toHaveLength(0);
  });

  test("accepts ELB's default quota of 25 certificates per load balancer and refuses a 26th", () => {
    const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`C${i}`, cert(i)]));
    expect(DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA).toBe(25);
    expect(synthAttachments({ certificates: many(25) }).attachments).toHaveLength(25);
    expect(() => synthAttachments({ certificates: many(26) })).toThrow(/26 certificates, more than the load balancer's quota of 25 besides the default certificates/);
  });

  test("takes a raised quota", () => {
    const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`C${i}`, cert(i)]));
    expect(synthAttachments({ certificates: many(30), maxCertificates: 30 }).attachments).toHaveLength(30);
    expect(() => synthAttachments({ certificates: many(3), maxCertificates: 2 })).toThrow(/3 certificates, more than the load balancer's quota of 2/);
  });
});
