"use client";
import { NumberInput, type NumberInputProps } from "@mantine/core";
import { Controller, type Control, type FieldPath, type FieldValues } from "react-hook-form";

type IntegerFieldProps<T extends FieldValues> = Omit<
  NumberInputProps,
  "name" | "value" | "onChange" | "onBlur" | "error" | "allowDecimal"
> & {
  control: Control<T>;
  name: FieldPath<T>;
  /** What an emptied box stores: a fallback number, null ("not set") or undefined ("the default"). */
  whenEmpty: number | null | undefined;
};

/** A whole-number field of a react-hook-form form, its validation message under it. */
export function IntegerField<T extends FieldValues>({ control, name, whenEmpty, ...input }: IntegerFieldProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <NumberInput
          {...input}
          allowDecimal={false}
          value={field.value ?? ""}
          onChange={(value) => field.onChange(value === "" ? whenEmpty : Number(value))}
          onBlur={field.onBlur}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}
