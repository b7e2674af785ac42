import { describe, expect, it } from "vitest";
import openapi from "@/api/openapi.json";
import { CHANNELS, EVENT_GROUPS, EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "@/features/notifications/catalogue";

const schemas = openapi.components.schemas;

describe("the notices' catalogue", () => {
  it.each([
    ["event types", EVENT_TYPES, schemas.EventType.enum],
    ["groups", EVENT_GROUPS, schemas.Group.enum],
    ["channels", CHANNELS, schemas.Channel.enum],
    ["webhook event types", WEBHOOK_EVENT_TYPES, schemas.EndpointIn.properties.events.items.enum],
  ])("lists every one of the API's %s, once each", (_name, listed, documented) => {
    expect([...listed].sort()).toEqual([...documented].sort());
  });
});
