import { Card, Table, Text, Title, Tooltip } from "@mantine/core";

type CustomAttribute = { schema: string; name: string; value: string | number | boolean };

/** `urn:ietf:params:scim:schemas:extension:acme:2.0:User` → `acme`; else the URN's last part. */
function schemaLabel(urn: string): string {
  return /^urn:ietf:params:scim:schemas:extension:([^:]+):/i.exec(urn)?.[1] ?? urn.split(":").pop() ?? urn;
}

function readable(value: CustomAttribute["value"]): string {
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return String(value);
}

/** The user's custom attributes from the identity provider (extension schemas), as a table. */
export function CustomAttributesCard({ attributes }: { attributes: readonly CustomAttribute[] }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="custom-attributes-title">
      <Title order={4} id="custom-attributes-title" mb="md">
        Custom attributes
      </Title>
      {attributes.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: the identity provider sent no extension attributes for this user.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table striped aria-label="Custom attributes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Attribute</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Extension</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {attributes.map((attribute) => (
                <Table.Tr key={`${attribute.schema}:${attribute.name}`}>
                  <Table.Td fw={500}>{attribute.name}</Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{readable(attribute.value)}</Table.Td>
                  <Table.Td>
                    <Tooltip label={attribute.schema} withArrow>
                      <Text size="sm" c="dimmed">
                        {schemaLabel(attribute.schema)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
