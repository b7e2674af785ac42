import { describe, expect, it } from "vitest";
import openapi from "@/api/openapi.json";
import { OPERATION_TYPES, operationFiltersFromParams, withFilter } from "@/features/operations/operation-filters";

describe("operationFiltersFromParams", () => {
  it("reads every filter the lists know", () => {
    const params = new URLSearchParams("status=failed&event=sale&type=postback&advertiser_id=adv_42");
    expect(operationFiltersFromParams(params)).toEqual({ status: "failed", event: "sale", type: "postback", advertiser_id: "adv_42" });
  });

  it("knows the notifier's operations (account e-mails) as a type", () => {
    expect(operationFiltersFromParams(new URLSearchParams("type=notify"))).toEqual({ type: "notify" });
  });

  it("knows a custom domain's checks as a type", () => {
    expect(operationFiltersFromParams(new URLSearchParams("type=domain"))).toEqual({ type: "domain" });
  });

  it("offers every type the operations log can be filtered by", () => {
    const type = openapi.paths["/api/monitor/operations"].get.parameters.find((parameter) => parameter.name === "type");
    const declared = type?.schema.anyOf?.flatMap((choice) => ("enum" in choice && choice.enum ? choice.enum : []));
    expect(declared?.length).toBeGreaterThan(0);
    expect([...OPERATION_TYPES].sort()).toEqual([...(declared ?? [])].sort());
  });

  it("has no filters for a bare URL", () => {
    expect(operationFiltersFromParams(new URLSearchParams())).toEqual({});
  });

  it("leaves out values the API would refuse", () => {
    const params = new URLSearchParams(`status=done&event=refund&type=finance&advertiser_id=${"a".repeat(41)}`);
    expect(operationFiltersFromParams(params)).toEqual({});
  });

  it("ignores a blank advertiser and trims one with spaces around it", () => {
    expect(operationFiltersFromParams(new URLSearchParams("advertiser_id=%20%20"))).toEqual({});
    expect(operationFiltersFromParams(new URLSearchParams("advertiser_id=%20adv_1%20"))).toEqual({ advertiser_id: "adv_1" });
  });

  it("ignores parameters that are not filters", () => {
    expect(operationFiltersFromParams(new URLSearchParams("cursor=abc&status=retrying"))).toEqual({ status: "retrying" });
  });
});

describe("withFilter", () => {
  it("sets a filter and keeps the others", () => {
    const next = withFilter(new URLSearchParams("status=failed"), "event", "lead");
    expect(next.toString()).toBe("status=failed&event=lead");
  });

  it("removes a filter set to nothing", () => {
    expect(withFilter(new URLSearchParams("status=failed&event=lead"), "event", undefined).toString()).toBe("status=failed");
    expect(withFilter(new URLSearchParams("type=stats"), "type", "").toString()).toBe("");
  });

  it("does not change the params it was given", () => {
    const params = new URLSearchParams("status=failed");
    withFilter(params, "status", "success");
    expect(params.toString()).toBe("status=failed");
  });
});
