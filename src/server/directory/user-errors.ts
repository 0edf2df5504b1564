import { AppError } from "../errors";

export function userNameTaken(userName: string): AppError {
  return new AppError("CONFLICT", `A user with the userName "${userName}" already exists.`, { field: "userName" });
}

export function userNotFound(): AppError {
  return AppError.notFound("This user");
}
