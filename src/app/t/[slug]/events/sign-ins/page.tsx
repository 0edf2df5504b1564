import type { Metadata } from "next";
import { SignInsView } from "@/components/sso/sign-ins-view";

export const metadata: Metadata = { title: "Sign-ins" };

export default function Page() {
  return <SignInsView />;
}
