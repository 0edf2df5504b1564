import { AppError } from "../errors";

export function groupNameTaken(displayName: string): AppError {
  return new AppError("CONFLICT", `A group named "${displayName}" already exists.`, { field: "displayName" });
}

export function groupNotFound(): AppError {
  return AppError.notFound("This group");
}
