import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Testing } from "cdktf";
import { HttpToHttpsRedirect } from "../../lib";

const ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge/50dc6c495c0c9188";

describe("HttpToHttpsRedirect", () => {
  test("listens for plain HTTP on 80 and only redirects, permanently, to HTTPS on 443 keeping host, path and query", () => {
    // WHEN
    const synthesized = Testing.synthScope((scope) => {
      new HttpToHttpsRedirect(scope, "Redirect", { loadBalancerArn: ALB });
    });
    // THEN
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: ALB,
      port: 80,
      protocol: "HTTP",
      default_action: [
        {
          type: "redirect",
          redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", status_code: "HTTP_301" },
        },
      ],
    });
    const listener = Object.values(JSON.parse(synthesized).resource.aws_lb_listener)[0] as Record<string, unknown>;
    expect(listener).not.toHaveProperty("ssl_policy");
    expect(listener).not.toHaveProperty("certificate_arn");
  });

  test("redirects from and to the given ports", () => {
    const synthesized = Testing.synthScope((scope) => {
      new HttpToHttpsRedirect(scope, "Redirect", { loadBalancerArn: ALB, port: 8080, httpsPort: 8443 });
    });
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      port: 8080,
      default_action: [
        {
          type: "redirect",
          redirect: { protocol: "HTTPS", port: "8443", host: "#{host}", path: "/#{path}", query: "#{query}", status_code: "HTTP_301" },
        },
      ],
    });
  });
  test("leaves the Server header attribute unset unless told, and writes the given choice", () => {
    const listenerOf = (serverHeader?: boolean): any =>
      Object.values(JSON.parse(Testing.synthScope((scope) => void new HttpToHttpsRedirect(scope, "Redirect", { loadBalancerArn: ALB, serverHeader }))).resource.aws_lb_listener)[0];
    expect(listenerOf()).not.toHaveProperty("routing_http_response_server_enabled");
    expect(listenerOf(false).routing_http_response_server_enabled).toBe(false);
    expect(listenerOf(true).routing_http_response_server_enabled).toBe(true);
  });
});
