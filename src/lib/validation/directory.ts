/**
 * Directory inputs shared by the console's forms and the tRPC procedures. Pure zod: client
 * components import it. Messages are shown to people as they are.
 */
import { z } from "zod";
import type { GroupSortField, SortDirection, UserSortField } from "@/server/directory/list-users-types";

// Control characters never belong in names: they break exports and logs.
const noControlChars = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

const optionalText = (max: number) =>
  z.string().trim().max(max, `At most ${max} characters.`).refine(noControlChars, "Remove the control characters.");

const zUserName = z
  .string()
  .trim()
  .min(1, "Enter a userName.")
  .max(256, "At most 256 characters.")
  .refine(noControlChars, "Remove the control characters.");

const zDirectoryEmail = z
  .string()
  .trim()
  .max(254, "At most 254 characters.")
  .refine((value) => value === "" || z.email().safeParse(value).success, "Enter a valid email address, or leave it empty.");

/** The user form: empty strings mean "not set". */
export const zUserForm = z.object({
  userName: zUserName,
  givenName: optionalText(100),
  familyName: optionalText(100),
  displayName: optionalText(200),
  email: zDirectoryEmail,
  title: optionalText(100),
  department: optionalText(100),
  active: z.boolean(),
});
export type UserFormValues = z.input<typeof zUserForm>;

export const emptyUserForm: UserFormValues = {
  userName: "",
  givenName: "",
  familyName: "",
  displayName: "",
  email: "",
  title: "",
  department: "",
  active: true,
};

const zGroupName = z
  .string()
  .trim()
  .min(1, "Enter the group's name.")
  .max(256, "At most 256 characters.")
  .refine(noControlChars, "Remove the control characters.");

export const zGroupForm = z.object({ displayName: zGroupName });
export type GroupFormValues = z.input<typeof zGroupForm>;

/** Ids arrive from URLs: any short string, the server answers "not found" for ones that name nothing. */
export const zDirectoryId = z.string().min(1).max(100);

const USER_SORTS = ["userName", "displayName", "email", "createdAt", "active"] as const satisfies readonly UserSortField[];
const GROUP_SORTS = ["displayName", "createdAt"] as const satisfies readonly GroupSortField[];

const zDirection = z.enum(["asc", "desc"]) satisfies z.ZodType<SortDirection>;
const zSearch = z.string().trim().max(200, "At most 200 characters.").optional();
const zPage = z.number().int().min(1).max(1_000_000).default(1);
const zPageSize = z.number().int().min(1).max(100).default(25);

export const zUserListInput = z.object({
  search: zSearch,
  status: z.enum(["all", "active", "inactive"]).default("all"),
  sort: z.enum(USER_SORTS).default("userName"),
  direction: zDirection.default("asc"),
  page: zPage,
  pageSize: zPageSize,
});

export const zGroupListInput = z.object({
  search: zSearch,
  sort: z.enum(GROUP_SORTS).default("displayName"),
  direction: zDirection.default("asc"),
  page: zPage,
  pageSize: zPageSize,
});

export const zGroupMembersInput = zUserListInput.omit({ status: true }).extend({ groupId: zDirectoryId });

export const zMemberIds = z
  .array(z.uuid("Pick users from the list."))
  .min(1, "Pick at least one user.")
  .max(1000, "At most 1,000 users at a time.");
