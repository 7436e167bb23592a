//! `wire_enum!`: a closed set of HipChat values as a Rust enum with its wire names,
//! parsing with a did-you-mean, `Display`, and (feature `serde`) serde by wire name.

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum $name {
            $( $(#[$vmeta])* #[cfg_attr(feature = "serde", serde(rename = $wire))] $variant, )+
        }

        impl $name {
            /// Every value's wire name, in the schema's order.
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// Every value, in the schema's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )+
                }
            }

            /// The variant's Rust name (`Red` for `red`), for code that names it.
            pub const fn variant_name(self) -> &'static str {
                match self {
                    $( $name::$variant => stringify!($variant), )+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            /// Parses a wire name exactly: HipChat rejects `Red` and `grey`, so do we.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $( $wire => Ok($name::$variant), )+
                    _ => Err($crate::UnknownValue::new($kind, value, $name::NAMES)),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;
