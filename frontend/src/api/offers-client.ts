import createClient from "openapi-fetch";
import { authFetch } from "@/api/client";
import type {
  AffiliateOffer,
  AffiliateOfferList,
  Offer,
  OfferAccess,
  OfferAccessList,
  OfferAccessUpdate,
  OfferCreate,
  OfferList,
  OfferStatus,
  OfferUpdate,
} from "@/api/types";

/*
 * A stand-in for the offers paths until `npm run gen:api` brings them into `schema.d.ts`: the same
 * shape openapi-typescript generates, so the screens call `offersApi.GET("/api/offers", …)` exactly
 * as they will call `api.GET(…)`. Once generated, delete this file and import `api` instead.
 */
type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
type Params<Path = never, Query = never> = {
  query?: [Query] extends [never] ? never : Query;
  header?: never;
  path: Path;
  cookie?: never;
};
type Operation<Response, Path = never, Query = never, Body = never> = {
  parameters: [Path] extends [never] ? Omit<Params<Path, Query>, "path"> & { path?: never } : Params<Path, Query>;
  requestBody: [Body] extends [never] ? never : { content: { "application/json": Body } };
  responses: { 200: Json<Response>; 201: Json<Response> };
};
type Unused = { put?: never; post?: never; get?: never; delete?: never; patch?: never; options?: never; head?: never; trace?: never };
type NoParams = { parameters: { query?: never; header?: never; path?: never; cookie?: never } };

/** Platform staff name the advertiser they act for; an advertiser's own calls leave it out. */
type AsAdvertiser = { advertiser_id?: string | null };
type OfferPath = { offer_id: string };

export type OfferPaths = {
  "/api/offers": NoParams &
    Omit<Unused, "get" | "post"> & {
      get: Operation<OfferList, never, AsAdvertiser & { status?: OfferStatus | null }>;
      post: Operation<Offer, never, AsAdvertiser, OfferCreate>;
    };
  "/api/offers/{offer_id}": NoParams &
    Omit<Unused, "get" | "patch"> & {
      get: Operation<Offer, OfferPath, AsAdvertiser>;
      patch: Operation<Offer, OfferPath, AsAdvertiser, OfferUpdate>;
    };
  "/api/offers/{offer_id}/rotate-secret": NoParams & Omit<Unused, "post"> & { post: Operation<Offer, OfferPath, AsAdvertiser> };
  "/api/offers/{offer_id}/access": NoParams & Omit<Unused, "get"> & { get: Operation<OfferAccessList, OfferPath, AsAdvertiser> };
  "/api/offers/{offer_id}/access/{affiliate_id}": NoParams &
    Omit<Unused, "put"> & { put: Operation<OfferAccess, OfferPath & { affiliate_id: string }, AsAdvertiser, OfferAccessUpdate> };
  "/api/my/offers": NoParams & Omit<Unused, "get"> & { get: Operation<AffiliateOfferList> };
  "/api/my/offers/{offer_id}/request-access": NoParams & Omit<Unused, "post"> & { post: Operation<AffiliateOffer, OfferPath> };
};

/** The offers endpoints through the same authenticated fetch as `api`. */
export const offersApi = createClient<OfferPaths>({ baseUrl: window.location.origin, fetch: authFetch });
