import { AppError } from "../errors";

export const profileNotFound = () => AppError.notFound("This export profile");
export const runNotFound = () => AppError.notFound("This sync run");
export const profileNameTaken = (name: string) =>
  new AppError("CONFLICT", `An export profile named "${name}" already exists.`, { field: "name" });
