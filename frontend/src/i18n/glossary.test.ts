import { describe, expect, it } from "vitest";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";

/** Every string of a resource with its dotted key. */
function stringsOf(tree: object, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([name, value]): [string, string][] => {
    const key = prefix ? `${prefix}.${name}` : name;
    return value && typeof value === "object" ? stringsOf(value, key) : [[key, String(value)]];
  });
}

const within = (strings: [string, string][], ...prefixes: string[]) => strings.filter(([key]) => prefixes.some((p) => key.startsWith(p)));

// The README's glossary: one word per thing, in both languages.
describe("the dashboard's words are the glossary's", () => {
  const english = stringsOf(en);
  const russian = stringsOf(ru);

  it("calls an advertiser an advertiser, never a workspace", () => {
    expect(english.filter(([, text]) => /workspace/i.test(text))).toEqual([]);
    expect(russian.filter(([, text]) => /рабоч\S* пространств/i.test(text))).toEqual([]);
  });

  it("calls a postback sent to an affiliate a delivery, never an operation or a send", () => {
    const deliveryStrings = (strings: [string, string][]) => within(strings, "deliveries.", "nav.deliveries", "clicks.deliver", "clicks.noDeliveries");
    expect(deliveryStrings(english).filter(([, text]) => /operation|postback log|postbacks sent/i.test(text))).toEqual([]);
    expect(deliveryStrings(russian).filter(([, text]) => /операци|отправк|журнал постбэков/i.test(text))).toEqual([]);
    expect(en.nav.deliveries).toBe("Deliveries");
    expect(ru.nav.deliveries).toBe("Доставки");
    expect(en.operations.detail.deliveryTitle).toMatch(/^Delivery/);
    expect(ru.operations.detail.deliveryTitle).toMatch(/^Доставка/);
  });

  it("calls what an advertiser subscribes to a plan (тариф), never a tariff or a «план»", () => {
    expect(english.filter(([, text]) => /tariff/i.test(text))).toEqual([]);
    // «план» as a word of its own: "планировать" and the like are other words.
    expect(russian.filter(([, text]) => /(^|[^а-яё])план(|а|у|ом|е|ы|ов|ам|ами|ах)(?![а-яё])/i.test(text))).toEqual([]);
    expect(en.nav.plans).toBe("Plans");
    expect(ru.nav.plans).toBe("Тарифы");
    expect(ru.plans.limits.white_label).toBe("White-label");
  });

  it("calls the trial a trial (пробный период) and the subscription a subscription (подписка)", () => {
    expect(within(russian, "plans.state.trialing").every(([, text]) => text.startsWith("Пробный период"))).toBe(true);
    expect(within(russian, "plans.").filter(([, text]) => /триал|абонемент/i.test(text))).toEqual([]);
    expect(within(english, "plans.").filter(([, text]) => /membership|abonnement/i.test(text))).toEqual([]);
  });

  it("keeps 'operations' for the orchestrator's log", () => {
    expect(en.monitor.operationsTitle).toBe("Operations");
    expect(ru.monitor.operationsTitle).toBe("Операции");
  });
});
