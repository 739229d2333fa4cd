#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "pilemesh/ledger/keys.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// RFC 8032 test 1.
constexpr std::string_view kSeedHex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kPublicHex =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& file, std::string_view content, fs::perms perms) {
  {
    std::ofstream out(file, std::ios::binary);
    out << content;
  }
  fs::permissions(file, perms);
}

// The load must throw a runtime_error whose message names the file and says `why`.
void expect_refused(const fs::path& file, std::string_view why) {
  try {
    (void)KeyPair::load_or_create(file);
    ADD_FAILURE() << "loaded " << file;
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
    EXPECT_THAT(e.what(), HasSubstr(std::string(why)));
  }
}

TEST(KeyFile, CreatesWithMode0600AndReloadsTheSameKey) {
  test::TempDir dir;
  const auto file = dir.path() / "node.key";
  const auto created = KeyPair::load_or_create(file);

  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const auto text = read_all(file);
  ASSERT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), 64u);

  const auto reloaded = KeyPair::load_or_create(file);
  EXPECT_EQ(reloaded.public_key(), created.public_key());
  EXPECT_EQ(read_all(file), text);  // never rewritten
}

TEST(KeyFile, LoadsAKnownSeed) {
  test::TempDir dir;
  const auto file = dir.path() / "node.key";
  write_file(file, std::string(kSeedHex) + "\n", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(KeyPair::load_or_create(file).public_key().hex(), kPublicHex);
}

TEST(KeyFile, AcceptsUpperCaseHexAndReadOnlyMode) {
  test::TempDir dir;
  const auto file = dir.path() / "node.key";
  std::string upper(kSeedHex);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  write_file(file, upper + "\n", fs::perms::owner_read);
  EXPECT_EQ(KeyPair::load_or_create(file).public_key().hex(), kPublicHex);
}

TEST(KeyFile, RefusesAccessByGroupOrOthers) {
  test::TempDir dir;
  const auto file = dir.path() / "node.key";
  const auto owner = fs::perms::owner_read | fs::perms::owner_write;
  for (auto extra : {fs::perms::group_read, fs::perms::group_write, fs::perms::others_read,
                     fs::perms::others_write, fs::perms::others_exec}) {
    write_file(file, std::string(kSeedHex) + "\n", owner | extra);
    expect_refused(file, "group or others");
  }
}

TEST(KeyFile, RefusesMalformedContent) {
  test::TempDir dir;
  const auto file = dir.path() / "node.key";
  const std::string seed(kSeedHex);
  for (const std::string& content :
       {std::string(), seed, seed + "\n\n", seed.substr(2) + "\n", seed + "00\n",
        "x" + seed.substr(1) + "\n", seed + " ", seed + "\r\n", std::string(65, '\n')}) {
    fs::remove(file);
    write_file(file, content, fs::perms::owner_read | fs::perms::owner_write);
    expect_refused(file, "malformed");
  }
}

TEST(KeyFile, RefusesWhatCannotBeRead) {
  test::TempDir dir;
  const auto folder = dir.path() / "a-folder";
  fs::create_directory(folder);
  fs::permissions(folder, fs::perms::owner_all);
  expect_refused(folder, "not a regular file");
  expect_refused(dir.path() / "missing" / "node.key", "cannot create");
}

}  // namespace
}  // namespace pilemesh::ledger
