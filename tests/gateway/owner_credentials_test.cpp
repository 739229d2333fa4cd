// The owner's password (Argon2id) and the first-run setup code, in a real data folder.
#include "pilemesh/gateway/owner_credentials.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>

#include "temp_dir.hpp"

namespace pilemesh::gateway {
namespace {

TEST(OwnerCredentials, TheSetupCodeOpensTheWizardOnceThenThePasswordSignsIn) {
  test::TempDir dir;
  OwnerCredentials owner(dir.path());
  EXPECT_FALSE(owner.has_password());
  const std::string code = owner.setup_code();
  ASSERT_EQ(code.size(), 11u);          // ABCDE-FGHJK
  EXPECT_EQ(owner.setup_code(), code);  // the same on every call and start
  EXPECT_EQ(OwnerCredentials(dir.path()).setup_code(), code);
  std::string sloppy = code;
  for (char& c : sloppy) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  sloppy.erase(5, 1);
  EXPECT_TRUE(owner.check_setup_code(sloppy));  // case and the dash do not matter
  EXPECT_FALSE(owner.check_setup_code("AAAAA-AAAAA"));
  EXPECT_FALSE(owner.check_setup_code(""));

  EXPECT_NE(owner.set_password("short"), "");
  EXPECT_FALSE(owner.has_password());
  EXPECT_EQ(owner.set_password("correct horse battery"), "");
  EXPECT_TRUE(owner.has_password());
  EXPECT_TRUE(owner.verify_password("correct horse battery"));
  EXPECT_FALSE(owner.verify_password("correct horse batterY"));
  EXPECT_FALSE(owner.verify_password(""));
  // Once set up, the code opens nothing, and its file is gone.
  EXPECT_FALSE(owner.check_setup_code(code));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "setup-code"));
  // Only the hash is stored, readable by the gateway's user alone.
  const auto hash_file = dir.path() / "owner.pwhash";
  std::ifstream in(hash_file);
  std::string stored;
  in >> stored;
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
  EXPECT_EQ(stored.find("correct horse"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(hash_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_TRUE(OwnerCredentials(dir.path()).verify_password("correct horse battery"));
}

}  // namespace
}  // namespace pilemesh::gateway
