//! Industries as the major divisions (大分類) of the Japan Standard Industrial
//! Classification (JSIC, rev. 14), stored as their letter.

pub use entities::enums::industry::Industry;
