import { describe, expect, it } from "vitest";
import type { Membership, PostbackSettings } from "@/api/types";
import {
  emptyOverride,
  overrideAdvertisers,
  postbackFormSchema,
  postbackUrlIssue,
  settingsToForm,
  toSettingsInput,
  type PostbackFormValues,
} from "@/features/postbacks/postback-form";

const MACROS = ["{click_id}", "{status}", "{payout}"];

const saved: PostbackSettings = {
  url: "https://tracker.example.com/pb?cid={click_id}",
  events: ["sale", "lead"],
  format: "get",
  overrides: [
    { advertiser_id: "adv_1", offer_id: "", url: "https://a.example.com/?c={click_id}", events: null },
    { advertiser_id: "adv_2", offer_id: "off_9", url: "", events: ["rejected", "approved"] },
  ],
  signing_secret: "",
  updated_at: "2025-01-01T00:00:00Z",
  macros: MACROS,
};

const issues = (values: PostbackFormValues) => {
  const result = postbackFormSchema(MACROS).safeParse(values);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("settingsToForm and toSettingsInput", () => {
  it("gives back the saved settings unchanged, events in funnel order", () => {
    expect(toSettingsInput(settingsToForm(saved))).toEqual({
      url: saved.url,
      events: ["lead", "sale"],
      format: "get",
      overrides: [
        { advertiser_id: "adv_1", offer_id: "", url: "https://a.example.com/?c={click_id}", events: null },
        { advertiser_id: "adv_2", offer_id: "off_9", url: "", events: ["approved", "rejected"] },
      ],
    });
  });

  it("starts an override that follows the global events from the global events", () => {
    const form = settingsToForm(saved);
    expect(form.overrides[0]).toMatchObject({ sameEvents: true, events: ["lead", "sale"] });
  });

  it("sends null events for an override ticked 'same as global', whatever boxes it had", () => {
    const form = settingsToForm(saved);
    const values = { ...form, overrides: [{ ...form.overrides[1]!, sameEvents: true }] };
    expect(toSettingsInput(values).overrides?.[0]?.events).toBeNull();
  });

  it("trims URLs and offer ids", () => {
    const values: PostbackFormValues = {
      url: "  https://x.test/?s={status} ",
      events: [],
      format: "webhook",
      overrides: [{ ...emptyOverride(), advertiser_id: "adv_1", offer_id: " off_1 ", url: " https://y.test/ " }],
    };
    expect(toSettingsInput(values)).toEqual({
      url: "https://x.test/?s={status}",
      events: [],
      format: "webhook",
      overrides: [{ advertiser_id: "adv_1", offer_id: "off_1", url: "https://y.test/", events: null }],
    });
  });
});

describe("postbackUrlIssue", () => {
  it("allows an empty URL: postbacks are off there", () => {
    expect(postbackUrlIssue("  ", MACROS)).toBeNull();
  });

  it("wants an http or https URL", () => {
    expect(postbackUrlIssue("ftp://x.test/", MACROS)).toBe("postbacks.validation.url");
    expect(postbackUrlIssue("x.test/?a=1", MACROS)).toBe("postbacks.validation.url");
    expect(postbackUrlIssue("https://x.test/?a={payout}", MACROS)).toBeNull();
  });

  it("refuses macros the server does not know", () => {
    expect(postbackUrlIssue("https://x.test/?a={txn_id}", MACROS)).toBe("postbacks.validation.macros");
  });

  it("refuses a URL longer than the API keeps", () => {
    expect(postbackUrlIssue(`https://x.test/?a=${"b".repeat(2040)}`, MACROS)).toBe("validation.tooLong");
  });
});

describe("postbackFormSchema", () => {
  it("accepts the saved settings", () => {
    expect(issues(settingsToForm(saved))).toEqual([]);
  });

  it("wants an advertiser on every override", () => {
    expect(issues({ ...settingsToForm(saved), overrides: [emptyOverride()] })).toEqual(["overrides.0.advertiser_id: validation.required"]);
  });

  it("refuses two overrides for the same advertiser and offer", () => {
    const row = { ...emptyOverride(), advertiser_id: "adv_1", offer_id: "off_1" };
    expect(issues({ ...settingsToForm(saved), overrides: [row, { ...row, offer_id: " off_1" }] })).toEqual([
      "overrides.1.offer_id: postbacks.validation.duplicate",
    ]);
  });

  it("allows one override for the whole advertiser and one for an offer of it", () => {
    const row = { ...emptyOverride(), advertiser_id: "adv_1" };
    expect(issues({ ...settingsToForm(saved), overrides: [row, { ...row, offer_id: "off_1" }] })).toEqual([]);
  });

  it("checks the override URLs like the global one", () => {
    const row = { ...emptyOverride(), advertiser_id: "adv_1", url: "https://x.test/?{nope}" };
    expect(issues({ ...settingsToForm(saved), url: "nope", overrides: [row] })).toEqual([
      "url: postbacks.validation.url",
      "overrides.0.url: postbacks.validation.macros",
    ]);
  });
});

describe("overrideAdvertisers", () => {
  const membership = (advertiser_id: string, advertiser_name: string, status: Membership["status"]): Membership => ({
    advertiser_id,
    advertiser_name,
    status,
    affiliate_id: "aff_1",
    affiliate_name: "Me",
    affiliate_email: "me@example.com",
    created_at: null,
    updated_at: "2025-01-01T00:00:00Z",
    suspended: false,
  });
  const memberships = [
    membership("adv_1", "Shop One", "active"),
    membership("adv_2", "Shop Two", "pending"),
    membership("adv_3", "Shop Three", "active"),
    membership("adv_4", "Gone", "blocked"),
  ];

  it("offers the advertisers the affiliate works with", () => {
    expect(overrideAdvertisers(memberships, [])).toEqual([
      { id: "adv_1", name: "Shop One", active: true },
      { id: "adv_3", name: "Shop Three", active: true },
    ]);
  });

  it("keeps an advertiser an override names after the membership ended, marked inactive", () => {
    expect(overrideAdvertisers(memberships, ["adv_4", "adv_9", "adv_1", "", "adv_4"]).slice(2)).toEqual([
      { id: "adv_4", name: "Gone", active: false },
      { id: "adv_9", name: "adv_9", active: false },
    ]);
  });
});
