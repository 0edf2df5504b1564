import { redirect } from "next/navigation";

export default async function TenantHome({ params }: { params: Promise<{ slug: string }> }) {
  redirect(`/t/${(await params).slug}/users`);
}
