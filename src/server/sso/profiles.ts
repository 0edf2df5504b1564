import type { AuthProfileStatus, AuthProtocol } from "@/generated/prisma/enums";
import { changedFields } from "../audit/changes";
import { recordAudit } from "../audit/record";
import { db, type DbTx } from "../db";
import { serverEnv } from "../env";
import { AppError, isUniqueViolation } from "../errors";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { fetchIdpMetadata } from "./fetch-metadata";
import { IdpMetadataError, parseIdpMetadata, type IdpMetadata } from "./idp-metadata";
import { jackson, JACKSON_PRODUCT } from "./jackson";
import { jacksonRefusal } from "./jackson-http";
import { ssoUrls } from "./urls";

/** What the console and the CLI see of a profile: never a secret. */
const profileSelect = {
  id: true,
  name: true,
  protocol: true,
  status: true,
  priority: true,
  idpEntityId: true,
  idpSsoUrl: true,
  idpCertExpiresAt: true,
  metadataUrl: true,
  metadataCheckedAt: true,
  allowIdpInitiated: true,
  oidcDiscoveryUrl: true,
  oidcClientId: true,
  createdAt: true,
  updatedAt: true,
  groups: { select: { group: { select: { id: true, displayName: true } } }, orderBy: { group: { displayNameKey: "asc" } } },
} as const;

export type ProfileView = {
  id: string;
  name: string;
  protocol: AuthProtocol;
  status: AuthProfileStatus;
  priority: number;
  idpEntityId: string | null;
  idpSsoUrl: string | null;
  idpCertExpiresAt: Date | null;
  metadataUrl: string | null;
  metadataCheckedAt: Date | null;
  /** SAML: unsolicited responses (an app tile in the IdP's dashboard) are accepted. */
  allowIdpInitiated: boolean;
  oidcDiscoveryUrl: string | null;
  oidcClientId: string | null;
  hasClientSecret: boolean;
  createdAt: Date;
  updatedAt: Date;
  groups: { id: string; displayName: string }[];
};

type Row = { groups: { group: { id: string; displayName: string } }[]; oidcClientSecretEnc?: string | null } & Omit<
  ProfileView,
  "groups" | "hasClientSecret"
>;
function view(row: Row): ProfileView {
  const { groups, oidcClientSecretEnc, ...rest } = row;
  return { ...rest, hasClientSecret: Boolean(oidcClientSecretEnc), groups: groups.map((g) => g.group) };
}

async function tenantSlug(tenantId: string): Promise<string> {
  const tenant = await db().tenant.findUnique({ where: { id: tenantId }, select: { slug: true } });
  if (!tenant) throw AppError.notFound("This organisation");
  return tenant.slug;
}

// ─── SP side ───────────────────────────────────────────────────────────────

export type SpMetadata = {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  signInUrl: string;
  certificatePem: string;
  certExpiresAt: Date;
  xml: string;
};

export async function getSpMetadata(options: { tenantId: string }): Promise<SpMetadata> {
  return spMetadataForSlug(await tenantSlug(options.tenantId));
}

/** The tenant's SP metadata (public: an IdP may be configured from its URL). */
export async function spMetadataForSlug(slug: string): Promise<SpMetadata> {
  const urls = ssoUrls(serverEnv().APP_URL).tenant(slug);
  const { spConfig } = await jackson();
  const config = await spConfig.get();
  const xml = await spConfig.toXMLMetadata(false, urls.entityId, urls.acsUrl);
  const { X509Certificate } = await import("node:crypto");
  return {
    entityId: urls.entityId,
    acsUrl: urls.acsUrl,
    metadataUrl: urls.metadataUrl,
    signInUrl: urls.signInUrl,
    certificatePem: config.publicKey,
    certExpiresAt: new Date(new X509Certificate(config.publicKey).validTo),
    xml,
  };
}

// ─── IdP metadata ──────────────────────────────────────────────────────────

export type MetadataSource = { metadataXml: string; metadataUrl?: undefined } | { metadataUrl: string; metadataXml?: undefined };

export type MetadataPreview = { entityId: string; ssoUrl: string; certExpiresAt: Date; warnings: string[] };

async function loadMetadata(source: MetadataSource): Promise<{ xml: string; parsed: IdpMetadata }> {
  const xml = source.metadataUrl !== undefined ? await fetchIdpMetadata(source.metadataUrl) : source.metadataXml;
  const field = source.metadataUrl !== undefined ? "metadataUrl" : "metadataXml";
  try {
    return { xml, parsed: parseIdpMetadata(xml) };
  } catch (error) {
    if (error instanceof IdpMetadataError) throw new AppError("BAD_REQUEST", error.message, { field });
    throw error;
  }
}

/** Validates metadata without saving: the console shows what it read, and its warnings. */
export async function previewIdpMetadata(options: { tenantId: string } & MetadataSource): Promise<MetadataPreview> {
  const { parsed } = await loadMetadata(options);
  return {
    entityId: parsed.entityId,
    ssoUrl: (parsed.ssoRedirectUrl ?? parsed.ssoPostUrl)!,
    certExpiresAt: parsed.certExpiresAt,
    warnings: parsed.warnings,
  };
}

/**
 * What Jackson said when it refused the admin's input on purpose (a JacksonError with a 4xx).
 * Anything else — its database failing, a bug — is rethrown: it becomes a logged, generic 500
 * instead of an internal message in a form.
 */
function jacksonRefusalMessage(error: unknown): string {
  const refusal = jacksonRefusal(error);
  if (!refusal) throw error;
  return refusal.message;
}

async function assertNameFree(tenantId: string, name: string, exceptId?: string) {
  const taken = await db().authenticationProfile.findFirst({
    where: { tenantId, nameKey: name.trim().toLowerCase(), ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new AppError("CONFLICT", `A profile named "${name.trim()}" already exists.`, { field: "name" });
}

async function assignGroups(tx: DbTx, tenantId: string, profileId: string, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const groups = await tx.directoryGroup.findMany({ where: { tenantId, id: { in: groupIds } }, select: { id: true, displayName: true } });
  if (groups.length !== new Set(groupIds).size)
    throw new AppError("BAD_REQUEST", "Some of the selected groups do not exist.", { field: "groupIds" });
  for (const g of groups) {
    await tx.groupAuthProfile.upsert({ where: { groupId: g.id }, create: { groupId: g.id, tenantId, profileId }, update: { profileId } });
  }
  return groups.map((g) => g.displayName);
}

/** The profile's audit entry of its creation, with the groups it was assigned to. */
async function recordCreated(tx: DbTx, tenantId: string, profile: { id: string; name: string }, after: Record<string, unknown>) {
  await recordAudit(tx, {
    tenantId,
    action: "auth_profile.created",
    target: { type: "auth_profile", id: profile.id, name: profile.name },
    after,
  });
}

export type CreateSamlProfileOptions = {
  tenantId: string;
  name: string;
  priority?: number;
  groupIds?: string[];
  /** Sign-in from the IdP's dashboard (IdP-initiated); on unless turned off. */
  allowIdpInitiated?: boolean;
} & MetadataSource;

export async function createSamlProfile(options: CreateSamlProfileOptions): Promise<ProfileView & { warnings: string[] }> {
  const { tenantId } = options;
  const name = options.name.trim();
  await assertNameFree(tenantId, name);
  const { xml, parsed } = await loadMetadata(options);
  const field = options.metadataUrl !== undefined ? "metadataUrl" : "metadataXml";
  const sameIdp = await db().authenticationProfile.findFirst({ where: { tenantId, idpEntityId: parsed.entityId }, select: { name: true } });
  if (sameIdp)
    throw new AppError("CONFLICT", `The profile "${sameIdp.name}" already uses this identity provider (${parsed.entityId}).`, { field });

  const slug = await tenantSlug(tenantId);
  const urls = ssoUrls(serverEnv().APP_URL);
  const { connectionAPIController } = await jackson();
  let clientID: string;
  let clientSecret: string;
  try {
    const record = await connectionAPIController.createSAMLConnection({
      rawMetadata: xml,
      tenant: tenantId,
      product: JACKSON_PRODUCT,
      name,
      defaultRedirectUrl: urls.callbackUrl,
      redirectUrl: [urls.callbackUrl],
      acsUrlOverride: urls.tenant(slug).acsUrl,
      samlAudienceOverride: urls.tenant(slug).entityId,
    });
    clientID = record.clientID;
    clientSecret = record.clientSecret;
  } catch (error) {
    if (/already exists for different tenant/i.test((error as Error)?.message ?? "")) {
      throw new AppError(
        "CONFLICT",
        `This identity provider (${parsed.entityId}) is already connected to another organisation; each organisation needs its own IdP application.`,
        { field },
      );
    }
    const message = jacksonRefusalMessage(error);
    throw new AppError("BAD_REQUEST", `The metadata was not accepted: ${message}`, { field, internal: message });
  }
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.authenticationProfile.create({
        data: {
          tenantId,
          name,
          nameKey: name.toLowerCase(),
          protocol: "SAML",
          priority: options.priority ?? 100,
          jacksonClientId: clientID,
          idpEntityId: parsed.entityId,
          idpSsoUrl: parsed.ssoRedirectUrl ?? parsed.ssoPostUrl,
          idpCertExpiresAt: parsed.certExpiresAt,
          metadataUrl: options.metadataUrl ?? null,
          metadataCheckedAt: options.metadataUrl !== undefined ? new Date() : null,
          allowIdpInitiated: options.allowIdpInitiated ?? true,
        },
        select: { id: true },
      });
      const groups = await assignGroups(tx, tenantId, created.id, options.groupIds ?? []);
      await recordCreated(
        tx,
        tenantId,
        { id: created.id, name },
        {
          protocol: "SAML",
          priority: options.priority ?? 100,
          idpEntityId: parsed.entityId,
          metadataUrl: options.metadataUrl ?? null,
          allowIdpInitiated: options.allowIdpInitiated ?? true,
          groups,
        },
      );
      return created;
    });
    return { ...(await getProfile({ tenantId, profileId: row.id })), warnings: parsed.warnings };
  } catch (error) {
    await connectionAPIController.deleteConnections({ clientID, clientSecret }).catch(() => undefined);
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A profile named "${name}" already exists.`, { field: "name" });
    throw error;
  }
}

type DiscoveryDoc = { issuer: string; authorization_endpoint: string; token_endpoint: string };

/** Reads and checks an OpenID Provider's discovery document; the issuer alone is accepted too. */
async function loadDiscovery(input: string): Promise<{ discoveryUrl: string; doc: DiscoveryDoc }> {
  let discoveryUrl = input.trim();
  if (!/\/\.well-known\/openid-configuration$/.test(discoveryUrl))
    discoveryUrl = `${discoveryUrl.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const text = await fetchIdpMetadata(discoveryUrl, { field: "discoveryUrl" });
  let doc: { issuer?: unknown; authorization_endpoint?: unknown; token_endpoint?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The discovery URL did not return JSON (an OpenID Provider configuration).", {
      field: "discoveryUrl",
    });
  }
  if (typeof doc.issuer !== "string" || typeof doc.authorization_endpoint !== "string" || typeof doc.token_endpoint !== "string") {
    throw new AppError("BAD_REQUEST", "The discovery document lacks issuer, authorization_endpoint or token_endpoint.", {
      field: "discoveryUrl",
    });
  }
  return { discoveryUrl, doc: doc as DiscoveryDoc };
}

export type CreateOidcProfileOptions = {
  tenantId: string;
  name: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  priority?: number;
  groupIds?: string[];
};

/** `discoveryUrl` may be the issuer: /.well-known/openid-configuration is added. */
export async function createOidcProfile(options: CreateOidcProfileOptions): Promise<ProfileView> {
  const { tenantId } = options;
  const name = options.name.trim();
  await assertNameFree(tenantId, name);
  const { discoveryUrl, doc } = await loadDiscovery(options.discoveryUrl);
  const sameIdp = await db().authenticationProfile.findFirst({
    where: { tenantId, oidcDiscoveryUrl: discoveryUrl, oidcClientId: options.clientId },
    select: { name: true },
  });
  if (sameIdp)
    throw new AppError("CONFLICT", `The profile "${sameIdp.name}" already uses this provider and client id.`, { field: "clientId" });

  const urls = ssoUrls(serverEnv().APP_URL);
  const { connectionAPIController } = await jackson();
  let clientID: string;
  try {
    const record = await connectionAPIController.createOIDCConnection({
      oidcDiscoveryUrl: discoveryUrl,
      oidcClientId: options.clientId,
      oidcClientSecret: options.clientSecret,
      tenant: tenantId,
      product: JACKSON_PRODUCT,
      name,
      defaultRedirectUrl: urls.callbackUrl,
      redirectUrl: [urls.callbackUrl],
    });
    clientID = record.clientID;
  } catch (error) {
    throw new AppError("BAD_REQUEST", `The OpenID Connect settings were not accepted: ${jacksonRefusalMessage(error)}`, {
      field: "discoveryUrl",
    });
  }
  const row = await db().$transaction(async (tx) => {
    const created = await tx.authenticationProfile.create({
      data: {
        tenantId,
        name,
        nameKey: name.toLowerCase(),
        protocol: "OIDC",
        priority: options.priority ?? 100,
        jacksonClientId: clientID,
        idpEntityId: doc.issuer,
        idpSsoUrl: doc.authorization_endpoint,
        oidcDiscoveryUrl: discoveryUrl,
        oidcClientId: options.clientId,
      },
      select: { id: true },
    });
    await tx.authenticationProfile.update({
      where: { id: created.id },
      data: { oidcClientSecretEnc: encryptSecret(options.clientSecret, { aad: `auth-profile:${created.id}` }) },
    });
    const groups = await assignGroups(tx, tenantId, created.id, options.groupIds ?? []);
    await recordCreated(
      tx,
      tenantId,
      { id: created.id, name },
      {
        protocol: "OIDC",
        priority: options.priority ?? 100,
        discoveryUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        groups,
      },
    );
    return created;
  });
  return getProfile({ tenantId, profileId: row.id });
}

export async function listProfiles(options: { tenantId: string }): Promise<ProfileView[]> {
  const rows = await db().authenticationProfile.findMany({
    where: { tenantId: options.tenantId },
    select: { ...profileSelect, oidcClientSecretEnc: true },
    orderBy: [{ priority: "asc" }, { nameKey: "asc" }],
  });
  return rows.map(view);
}

export async function getProfile(options: { tenantId: string; profileId: string }): Promise<ProfileView> {
  const row = /^[0-9a-f-]{36}$/i.test(options.profileId)
    ? await db().authenticationProfile.findFirst({
        where: { tenantId: options.tenantId, id: options.profileId },
        select: { ...profileSelect, oidcClientSecretEnc: true },
      })
    : null;
  if (!row) throw AppError.notFound("This authentication profile");
  return view(row);
}

export async function updateProfile(options: {
  tenantId: string;
  profileId: string;
  name?: string;
  priority?: number;
  status?: AuthProfileStatus;
  allowIdpInitiated?: boolean;
}): Promise<ProfileView> {
  const current = await getProfile(options);
  if (options.allowIdpInitiated !== undefined && current.protocol !== "SAML")
    throw new AppError("BAD_REQUEST", "Sign-in from the IdP's dashboard is a SAML option.", { field: "allowIdpInitiated" });
  if (options.name !== undefined) await assertNameFree(options.tenantId, options.name, current.id);
  const after = {
    ...(options.name !== undefined ? { name: options.name.trim() } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.allowIdpInitiated !== undefined ? { allowIdpInitiated: options.allowIdpInitiated } : {}),
  };
  await db().$transaction(async (tx) => {
    await tx.authenticationProfile.update({
      where: { id: current.id },
      data: { ...after, ...(after.name !== undefined ? { nameKey: after.name.toLowerCase() } : {}) },
    });
    const changes = changedFields(
      { name: current.name, priority: current.priority, status: current.status, allowIdpInitiated: current.allowIdpInitiated },
      after,
    );
    if (Object.keys(changes.after).length === 0) return;
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "auth_profile.updated",
      target: { type: "auth_profile", id: current.id, name: after.name ?? current.name },
      ...changes,
    });
  });
  return getProfile(options);
}

export async function deleteProfile(options: { tenantId: string; profileId: string }): Promise<void> {
  const current = await db().authenticationProfile.findFirst({
    where: { tenantId: options.tenantId, id: options.profileId },
    select: { id: true, jacksonClientId: true, name: true, protocol: true, idpEntityId: true },
  });
  if (!current) throw AppError.notFound("This authentication profile");
  const { connectionAPIController } = await jackson();
  const [connection] = await connectionAPIController.getConnections({ clientID: current.jacksonClientId });
  if (connection) await connectionAPIController.deleteConnections({ clientID: connection.clientID, clientSecret: connection.clientSecret });
  await db().$transaction(async (tx) => {
    await tx.authenticationProfile.delete({ where: { id: current.id } });
    await recordAudit(tx, {
      tenantId: options.tenantId,
      action: "auth_profile.deleted",
      target: { type: "auth_profile", id: current.id, name: current.name },
      before: { protocol: current.protocol, idpEntityId: current.idpEntityId },
    });
  });
}

// ─── Groups ────────────────────────────────────────────────────────────────

export async function getGroupAuthProfile(options: { tenantId: string; groupId: string }) {
  const group = /^[0-9a-f-]{36}$/i.test(options.groupId)
    ? await db().directoryGroup.findFirst({
        where: { tenantId: options.tenantId, id: options.groupId },
        select: {
          id: true,
          displayName: true,
          authProfile: { select: { profile: { select: { id: true, name: true, protocol: true, status: true, priority: true } } } },
        },
      })
    : null;
  if (!group) throw AppError.notFound("This group");
  return { groupId: group.id, groupName: group.displayName, profile: group.authProfile?.profile ?? null };
}

/** Assigns the group's profile (`null` removes it). A group has at most one. */
export async function setGroupAuthProfile(options: { tenantId: string; groupId: string; profileId: string | null }) {
  const { tenantId, groupId, profileId } = options;
  const before = await getGroupAuthProfile({ tenantId, groupId });
  const profile = profileId === null ? null : await getProfile({ tenantId, profileId });
  await db().$transaction(async (tx) => {
    if (profile === null) {
      await tx.groupAuthProfile.deleteMany({ where: { tenantId, groupId } });
    } else {
      await tx.groupAuthProfile.upsert({
        where: { groupId },
        create: { groupId, tenantId, profileId: profile.id },
        update: { profileId: profile.id },
      });
    }
    if ((before.profile?.id ?? null) === (profile?.id ?? null)) return;
    await recordAudit(tx, {
      tenantId,
      action: profile ? "auth_profile.assigned" : "auth_profile.unassigned",
      target: { type: "group", id: groupId, name: before.groupName },
      before: { profile: before.profile?.name ?? null },
      after: { profile: profile?.name ?? null },
    });
  });
  return getGroupAuthProfile({ tenantId, groupId });
}

// ─── Editing the IdP side ──────────────────────────────────────────────────

async function profileRow(tenantId: string, profileId: string) {
  const row = /^[0-9a-f-]{36}$/i.test(profileId)
    ? await db().authenticationProfile.findFirst({
        where: { tenantId, id: profileId },
        select: {
          id: true,
          name: true,
          protocol: true,
          jacksonClientId: true,
          idpEntityId: true,
          oidcDiscoveryUrl: true,
          oidcClientId: true,
          oidcClientSecretEnc: true,
          tenant: { select: { slug: true } },
        },
      })
    : null;
  if (!row) throw AppError.notFound("This authentication profile");
  return row;
}

async function jacksonConnection(clientID: string) {
  const { connectionAPIController } = await jackson();
  const [connection] = await connectionAPIController.getConnections({ clientID });
  // Only if Jackson's store was reset under us: a 500 with the detail in the log.
  if (!connection) throw new Error(`The Jackson connection ${clientID} of an authentication profile is missing.`);
  return connection;
}

/**
 * Re-imports a SAML profile's IdP metadata (file, paste or URL; the same checks as on create).
 * Jackson derives a connection's id from the IdP entity ID, so the same IdP updates the
 * connection in place, and a new entity ID gets a new connection that replaces the old one;
 * either way the profile keeps its id and groups.
 */
export async function replaceIdpMetadata(
  options: { tenantId: string; profileId: string } & MetadataSource,
): Promise<ProfileView & { warnings: string[] }> {
  const { tenantId } = options;
  const current = await profileRow(tenantId, options.profileId);
  if (current.protocol !== "SAML") throw new AppError("BAD_REQUEST", "Only a SAML profile has IdP metadata.");
  const { xml, parsed } = await loadMetadata(options);
  const field = options.metadataUrl !== undefined ? "metadataUrl" : "metadataXml";
  const sameIdp = await db().authenticationProfile.findFirst({
    where: { tenantId, idpEntityId: parsed.entityId, NOT: { id: current.id } },
    select: { name: true },
  });
  if (sameIdp)
    throw new AppError("CONFLICT", `The profile "${sameIdp.name}" already uses this identity provider (${parsed.entityId}).`, { field });

  const urls = ssoUrls(serverEnv().APP_URL);
  const { connectionAPIController } = await jackson();
  const old = await jacksonConnection(current.jacksonClientId);
  let clientID = current.jacksonClientId;
  try {
    if (parsed.entityId === current.idpEntityId) {
      await connectionAPIController.updateSAMLConnection({
        clientID: old.clientID,
        clientSecret: old.clientSecret,
        tenant: tenantId,
        product: JACKSON_PRODUCT,
        rawMetadata: xml,
        defaultRedirectUrl: urls.callbackUrl,
        redirectUrl: [urls.callbackUrl],
        acsUrlOverride: urls.tenant(current.tenant.slug).acsUrl,
        samlAudienceOverride: urls.tenant(current.tenant.slug).entityId,
      } as Parameters<typeof connectionAPIController.updateSAMLConnection>[0]);
    } else {
      const record = await connectionAPIController.createSAMLConnection({
        rawMetadata: xml,
        tenant: tenantId,
        product: JACKSON_PRODUCT,
        name: current.name,
        defaultRedirectUrl: urls.callbackUrl,
        redirectUrl: [urls.callbackUrl],
        acsUrlOverride: urls.tenant(current.tenant.slug).acsUrl,
        samlAudienceOverride: urls.tenant(current.tenant.slug).entityId,
      });
      clientID = record.clientID;
    }
  } catch (error) {
    if (/already exists for different tenant/i.test((error as Error)?.message ?? "")) {
      throw new AppError(
        "CONFLICT",
        `This identity provider (${parsed.entityId}) is already connected to another organisation; each organisation needs its own IdP application.`,
        { field },
      );
    }
    const message = jacksonRefusalMessage(error);
    throw new AppError("BAD_REQUEST", `The metadata was not accepted: ${message}`, { field, internal: message });
  }
  await db().$transaction(async (tx) => {
    const before = await tx.authenticationProfile.findUniqueOrThrow({
      where: { id: current.id },
      select: { idpEntityId: true, idpSsoUrl: true, idpCertExpiresAt: true, metadataUrl: true },
    });
    const after = {
      idpEntityId: parsed.entityId,
      idpSsoUrl: parsed.ssoRedirectUrl ?? parsed.ssoPostUrl,
      idpCertExpiresAt: parsed.certExpiresAt,
      metadataUrl: options.metadataUrl ?? null,
    };
    await tx.authenticationProfile.update({
      where: { id: current.id },
      data: { jacksonClientId: clientID, ...after, metadataCheckedAt: options.metadataUrl !== undefined ? new Date() : null },
    });
    await recordAudit(tx, {
      tenantId,
      action: "auth_profile.metadata_reimported",
      target: { type: "auth_profile", id: current.id, name: current.name },
      before,
      after,
    });
  });
  if (clientID !== old.clientID)
    await connectionAPIController.deleteConnections({ clientID: old.clientID, clientSecret: old.clientSecret }).catch(() => undefined);
  return { ...(await getProfile({ tenantId, profileId: current.id })), warnings: parsed.warnings };
}

/**
 * Edits an OIDC profile's provider settings. The client secret is write-only: left out (or
 * blank), the stored one is kept. A new client id is a new Jackson connection (Jackson derives
 * the connection id from it), which replaces the old one.
 */
export async function updateOidcSettings(options: {
  tenantId: string;
  profileId: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret?: string;
}): Promise<ProfileView> {
  const { tenantId } = options;
  const current = await profileRow(tenantId, options.profileId);
  if (current.protocol !== "OIDC") throw new AppError("BAD_REQUEST", "Only an OpenID Connect profile has these settings.");
  const clientId = options.clientId.trim();
  const newSecret = options.clientSecret?.length ? options.clientSecret : undefined;
  const { discoveryUrl, doc } = await loadDiscovery(options.discoveryUrl);
  const sameIdp = await db().authenticationProfile.findFirst({
    where: { tenantId, oidcDiscoveryUrl: discoveryUrl, oidcClientId: clientId, NOT: { id: current.id } },
    select: { name: true },
  });
  if (sameIdp)
    throw new AppError("CONFLICT", `The profile "${sameIdp.name}" already uses this provider and client id.`, { field: "clientId" });
  const secret =
    newSecret ??
    (current.oidcClientSecretEnc ? decryptSecret(current.oidcClientSecretEnc, { aad: `auth-profile:${current.id}` }) : undefined);
  if (!secret) throw new AppError("BAD_REQUEST", "Enter the client secret.", { field: "clientSecret" });

  const urls = ssoUrls(serverEnv().APP_URL);
  const { connectionAPIController } = await jackson();
  const old = await jacksonConnection(current.jacksonClientId);
  let clientID = current.jacksonClientId;
  try {
    if (clientId === current.oidcClientId) {
      await connectionAPIController.updateOIDCConnection({
        clientID: old.clientID,
        clientSecret: old.clientSecret,
        tenant: tenantId,
        product: JACKSON_PRODUCT,
        oidcDiscoveryUrl: discoveryUrl,
        oidcClientId: clientId,
        oidcClientSecret: secret,
        defaultRedirectUrl: urls.callbackUrl,
        redirectUrl: [urls.callbackUrl],
      } as Parameters<typeof connectionAPIController.updateOIDCConnection>[0]);
    } else {
      const record = await connectionAPIController.createOIDCConnection({
        oidcDiscoveryUrl: discoveryUrl,
        oidcClientId: clientId,
        oidcClientSecret: secret,
        tenant: tenantId,
        product: JACKSON_PRODUCT,
        name: current.name,
        defaultRedirectUrl: urls.callbackUrl,
        redirectUrl: [urls.callbackUrl],
      });
      clientID = record.clientID;
    }
  } catch (error) {
    throw new AppError("BAD_REQUEST", `The OpenID Connect settings were not accepted: ${jacksonRefusalMessage(error)}`, {
      field: "discoveryUrl",
    });
  }
  await db().$transaction(async (tx) => {
    await tx.authenticationProfile.update({
      where: { id: current.id },
      data: {
        jacksonClientId: clientID,
        idpEntityId: doc.issuer,
        idpSsoUrl: doc.authorization_endpoint,
        oidcDiscoveryUrl: discoveryUrl,
        oidcClientId: clientId,
        ...(newSecret ? { oidcClientSecretEnc: encryptSecret(newSecret, { aad: `auth-profile:${current.id}` }) } : {}),
      },
    });
    const changes = changedFields(
      { oidcDiscoveryUrl: current.oidcDiscoveryUrl, oidcClientId: current.oidcClientId },
      { oidcDiscoveryUrl: discoveryUrl, oidcClientId: clientId },
    );
    await recordAudit(tx, {
      tenantId,
      action: "auth_profile.updated",
      target: { type: "auth_profile", id: current.id, name: current.name },
      before: { ...changes.before, ...(newSecret ? { clientSecret: "previous" } : {}) },
      after: { ...changes.after, ...(newSecret ? { clientSecret: newSecret } : {}) },
    });
  });
  if (clientID !== old.clientID)
    await connectionAPIController.deleteConnections({ clientID: old.clientID, clientSecret: old.clientSecret }).catch(() => undefined);
  return getProfile({ tenantId, profileId: current.id });
}
