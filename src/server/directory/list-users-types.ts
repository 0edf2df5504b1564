/** Sort keys of the directory lists: types only, so client code may import them. */
export type UserSortField = "userName" | "displayName" | "email" | "createdAt" | "active";
export type GroupSortField = "displayName" | "createdAt";
export type SortDirection = "asc" | "desc";
