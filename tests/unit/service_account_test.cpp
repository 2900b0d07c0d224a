// Google service-account credentials: key file parsing, the RS256 JWT assertion (checked against
// the openssl CLI too, so our signer is not only verified by our own verifier), the token
// exchange's form body and answers.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "providers/google/service_account.h"

namespace switchyard::providers::google {
namespace {
namespace json = boost::json;
using std::chrono::seconds;

const auto kNow = std::chrono::system_clock::time_point(seconds(1'700'000'000));

constexpr std::size_t kKeyBits = 2048;  // what Google issues

struct RsaKey {
  std::string private_pem;
  std::string public_pem;
};

RsaKey generate_rsa_key() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{kKeyBits}), EVP_PKEY_free);
  EXPECT_TRUE(key);
  auto pem_of = [&](bool is_private) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (is_private) PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    else PEM_write_bio_PUBKEY(bio.get(), key.get());
    std::string pem(BIO_ctrl_pending(bio.get()), '\0');
    const int read = BIO_read(bio.get(), pem.data(), static_cast<int>(pem.size()));
    pem.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
    return pem;
  };
  return {pem_of(true), pem_of(false)};
}

// Key generation takes a while; every test shares two keys.
const RsaKey& signing_key() {
  static const RsaKey key = generate_rsa_key();
  return key;
}
const RsaKey& other_key() {
  static const RsaKey key = generate_rsa_key();
  return key;
}

json::object key_file_json(const std::string& private_pem) {
  return {{"type", "service_account"},
          {"project_id", "demo-project"},
          {"private_key_id", "kid-123"},
          {"private_key", private_pem},
          {"client_email", "sa@demo-project.iam.gserviceaccount.com"},
          {"client_id", "1234"},
          {"token_uri", "https://oauth2.googleapis.com/token"}};
}

ServiceAccount account() {
  auto parsed = parse_service_account(json::serialize(key_file_json(signing_key().private_pem)));
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return parsed.value.value_or(ServiceAccount{});
}

std::string signed_jwt() {
  auto jwt = make_jwt_assertion(account(), kCloudPlatformScope, kNow);
  EXPECT_TRUE(jwt.ok()) << jwt.error;
  return jwt.value.value_or("");
}

struct JwtParts {
  std::string header, claims, signature;  // still base64url
};
JwtParts split(const std::string& jwt) {
  const auto a = jwt.find('.');
  const auto b = jwt.find('.', a + 1);
  return {jwt.substr(0, a), jwt.substr(a + 1, b - a - 1), jwt.substr(b + 1)};
}

json::object decoded(const std::string& segment) {
  const auto text = base64url_decode(segment);
  EXPECT_TRUE(text.has_value());
  return json::parse(text.value_or("{}")).as_object();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "switchyard-sa-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file.string();
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- key file ---------------------------------------------------------------------------------

TEST(ServiceAccount, GoogleKeyFileParsesWithEscapedNewlinesInThePem) {
  const std::string text = json::serialize(key_file_json(signing_key().private_pem));
  ASSERT_NE(text.find("\\n"), std::string::npos);  // the file format escapes the PEM's newlines
  const auto parsed = parse_service_account(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.value->client_email, "sa@demo-project.iam.gserviceaccount.com");
  EXPECT_EQ(parsed.value->private_key_pem, signing_key().private_pem);
  EXPECT_EQ(parsed.value->private_key_id, "kid-123");
  EXPECT_EQ(parsed.value->project_id, "demo-project");
  EXPECT_EQ(parsed.value->token_uri, "https://oauth2.googleapis.com/token");
}

TEST(ServiceAccount, MissingTokenUriDefaultsToGoogles) {
  auto doc = key_file_json(signing_key().private_pem);
  doc.erase("token_uri");
  const auto parsed = parse_service_account(json::serialize(doc));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.value->token_uri, kDefaultTokenUri);
}

TEST(ServiceAccount, EachMissingRequiredFieldIsNamedInTheError) {
  for (const char* field : {"type", "project_id", "private_key_id", "private_key", "client_email"}) {
    auto doc = key_file_json(signing_key().private_pem);
    doc.erase(field);
    const auto parsed = parse_service_account(json::serialize(doc));
    EXPECT_FALSE(parsed.ok()) << field;
    EXPECT_NE(parsed.error.find(std::string("\"") + field + "\""), std::string::npos) << parsed.error;
  }
}

TEST(ServiceAccount, OtherCredentialTypesAndNonJsonAreRejected) {
  auto doc = key_file_json(signing_key().private_pem);
  doc["type"] = "authorized_user";
  const auto wrong_type = parse_service_account(json::serialize(doc));
  EXPECT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error.find("authorized_user"), std::string::npos) << wrong_type.error;
  for (const char* garbage : {"", "[]", "{", "\"service_account\"", "{\"type\":7}"})
    EXPECT_FALSE(parse_service_account(garbage).ok()) << garbage;
}

TEST(ServiceAccount, LiteralBackslashNInThePemBecomesNewlines) {
  std::string pem = signing_key().private_pem;
  std::string escaped;
  for (const char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  auto doc = key_file_json(escaped);  // serialised as "\\n": a literal backslash-n after parsing
  const auto parsed = parse_service_account(json::serialize(doc));
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.value->private_key_pem, pem);
}

TEST(ServiceAccount, VertexCredentialsAcceptAFilePathOrTheJsonItself) {
  const TempDir dir;
  const std::string text = json::serialize(key_file_json(signing_key().private_pem));
  const auto path = dir.write("key.json", text);
  const auto from_file = load_service_account(path);
  ASSERT_TRUE(from_file.ok()) << from_file.error;
  EXPECT_EQ(from_file.value->client_email, "sa@demo-project.iam.gserviceaccount.com");
  const auto inline_json = load_service_account("  " + text);
  ASSERT_TRUE(inline_json.ok()) << inline_json.error;
  EXPECT_EQ(inline_json.value->private_key_id, "kid-123");

  const auto missing = load_service_account(dir.file("absent.json"));
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("absent.json"), std::string::npos) << missing.error;
  const auto bad = load_service_account(dir.write("bad.json", "{\"type\":\"service_account\"}"));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("bad.json"), std::string::npos) << bad.error;
}

// ---- JWT assertion ----------------------------------------------------------------------------

TEST(Jwt, Base64UrlMatchesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");  // the URL-safe characters, not + and /
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64url_decode("Zm9vYmE"), "fooba");
  EXPECT_FALSE(base64url_decode("Zm9v=").has_value());
  EXPECT_FALSE(base64url_decode("Zm+v").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());
}

TEST(Jwt, HeaderNamesRs256AndTheKeyId) {
  const auto header = decoded(split(signed_jwt()).header);
  EXPECT_EQ(header, (json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-123"}}));
}

TEST(Jwt, ClaimsAreExactlyIssuerScopeAudienceAndOneHourValidity) {
  const auto claims = decoded(split(signed_jwt()).claims);
  EXPECT_EQ(claims, (json::object{{"iss", "sa@demo-project.iam.gserviceaccount.com"},
                                  {"scope", "https://www.googleapis.com/auth/cloud-platform"},
                                  {"aud", "https://oauth2.googleapis.com/token"},
                                  {"iat", 1'700'000'000},
                                  {"exp", 1'700'003'600}}));
}

TEST(Jwt, SignedAssertionVerifiesWithThePublicKeyOrThePrivateKeyFile) {
  const auto jwt = signed_jwt();
  const auto with_public = verify_jwt_rs256(jwt, signing_key().public_pem, kNow);
  ASSERT_TRUE(with_public.ok()) << with_public.error;
  EXPECT_EQ(with_public.value->at("iss"), "sa@demo-project.iam.gserviceaccount.com");
  const auto with_private = verify_jwt_rs256(jwt, signing_key().private_pem, kNow + seconds(3599));
  EXPECT_TRUE(with_private.ok()) << with_private.error;
}

TEST(Jwt, TamperedClaimsFailTheSignatureCheck) {
  auto parts = split(signed_jwt());
  auto claims = decoded(parts.claims);
  claims["scope"] = "https://www.googleapis.com/auth/everything";
  const auto forged = parts.header + "." + base64url_encode(json::serialize(claims)) + "." + parts.signature;
  const auto result = verify_jwt_rs256(forged, signing_key().public_pem, kNow);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "jwt: bad signature");
}

TEST(Jwt, TamperedSignatureFails) {
  auto parts = split(signed_jwt());
  auto signature = base64url_decode(parts.signature).value();
  signature[signature.size() / 2] = static_cast<char>(signature[signature.size() / 2] ^ 0x01);
  const auto result =
      verify_jwt_rs256(parts.header + "." + parts.claims + "." + base64url_encode(signature), signing_key().public_pem, kNow);
  EXPECT_EQ(result.error, "jwt: bad signature");
}

TEST(Jwt, AnotherKeyFails) {
  const auto result = verify_jwt_rs256(signed_jwt(), other_key().public_pem, kNow);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "jwt: bad signature");
}

TEST(Jwt, ExpiredAssertionFails) {
  const auto result = verify_jwt_rs256(signed_jwt(), signing_key().public_pem, kNow + kAssertionLifetime);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "jwt: expired");
}

TEST(Jwt, AlgorithmsOtherThanRs256AreRejectedBeforeAnyKeyIsUsed) {
  const auto parts = split(signed_jwt());
  const auto none_header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const auto result = verify_jwt_rs256(none_header + "." + parts.claims + ".", signing_key().public_pem, kNow);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("\"none\""), std::string::npos) << result.error;
}

TEST(Jwt, MalformedTokensAndKeysAreErrorValues) {
  const auto jwt = signed_jwt();
  const auto parts = split(jwt);
  for (const std::string& bad : {std::string(), std::string("abc"), std::string("a.b"), jwt + ".x", std::string("!!.??.**"),
                                base64url_encode("[1]") + "." + parts.claims + "." + parts.signature,
                                parts.header + "." + base64url_encode("not json") + "." + parts.signature}) {
    const auto result = verify_jwt_rs256(bad, signing_key().public_pem, kNow);
    EXPECT_FALSE(result.ok()) << bad;
    EXPECT_FALSE(result.error.empty()) << bad;
  }
  EXPECT_EQ(verify_jwt_rs256(jwt, "not a pem", kNow).error, "jwt: key is not a PEM RSA key");

  ServiceAccount broken = account();
  broken.private_key_pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  const auto unsigned_jwt = make_jwt_assertion(broken, kCloudPlatformScope, kNow);
  EXPECT_FALSE(unsigned_jwt.ok());
  EXPECT_NE(unsigned_jwt.error.find("private_key"), std::string::npos) << unsigned_jwt.error;
}

// The openssl CLI checks our signature, and signs one we check: RS256 interoperates, not only
// with itself.
TEST(Jwt, SignatureInteroperatesWithTheOpensslCli) {
  const TempDir dir;
  const auto parts = split(signed_jwt());
  const auto data = dir.write("data.txt", parts.header + "." + parts.claims);
  const auto signature = dir.write("sig.bin", base64url_decode(parts.signature).value());
  const auto pub = dir.write("pub.pem", signing_key().public_pem);
  const auto quiet = std::string(" >/dev/null 2>&1");
  EXPECT_EQ(std::system(("openssl dgst -sha256 -verify " + pub + " -signature " + signature + " " + data + quiet).c_str()), 0);
  const auto tampered = dir.write("tampered.txt", parts.header + "." + parts.claims + "x");
  EXPECT_NE(std::system(("openssl dgst -sha256 -verify " + pub + " -signature " + signature + " " + tampered + quiet).c_str()), 0);

  const auto key = dir.write("key.pem", signing_key().private_pem);
  const auto cli_signature = dir.file("cli-sig.bin");
  ASSERT_EQ(std::system(("openssl dgst -sha256 -sign " + key + " -out " + cli_signature + " " + data + quiet).c_str()), 0);
  const auto cli_jwt = parts.header + "." + parts.claims + "." + base64url_encode(read_file(cli_signature));
  const auto verified = verify_jwt_rs256(cli_jwt, signing_key().public_pem, kNow);
  EXPECT_TRUE(verified.ok()) << verified.error;
  // PKCS#1 v1.5 is deterministic: the CLI's signature is byte-for-byte ours.
  EXPECT_EQ(base64url_encode(read_file(cli_signature)), parts.signature);
}

// ---- token exchange ---------------------------------------------------------------------------

TEST(ServiceAccountTokenExchange, RequestBodyIsAFormEncodedJwtBearerGrant) {
  const auto jwt = signed_jwt();
  const auto body = token_request_body(jwt);
  EXPECT_EQ(body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + jwt);
  const auto form = parse_form(body);
  ASSERT_TRUE(form.ok()) << form.error;
  EXPECT_EQ(form.value->at("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
  EXPECT_EQ(form.value->at("assertion"), jwt);
}

TEST(ServiceAccountTokenExchange, AnswerGivesTheAccessTokenAndItsLifetime) {
  const auto token = parse_token_response(R"({"access_token":"ya29.c.abc","expires_in":3599,"token_type":"Bearer"})");
  ASSERT_TRUE(token.ok()) << token.error;
  EXPECT_EQ(token.value->access_token, "ya29.c.abc");
  EXPECT_EQ(token.value->expires_in_seconds, 3599);
}

TEST(ServiceAccountTokenExchange, GoogleErrorShapeBecomesTheError) {
  const auto token = parse_token_response(R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  EXPECT_FALSE(token.ok());
  EXPECT_EQ(token.error, "invalid_grant: Invalid JWT Signature.");
  EXPECT_EQ(parse_token_response(R"({"error":"invalid_scope"})").error, "invalid_scope");
}

TEST(ServiceAccountTokenExchange, AnswersWithoutATokenAreErrors) {
  for (const char* body : {"", "<html>502</html>", "[]", R"({"expires_in":3599})", R"({"access_token":17})"})
    EXPECT_FALSE(parse_token_response(body).ok()) << body;
}

TEST(ServiceAccountForm, PercentEscapesAndPlusSignsAreDecoded) {
  const auto form = parse_form("a=x%20y+z&b=%2B%26&flag&c=1&c=2");
  ASSERT_TRUE(form.ok()) << form.error;
  EXPECT_EQ(form.value->at("a"), "x y z");
  EXPECT_EQ(form.value->at("b"), "+&");
  EXPECT_EQ(form.value->at("flag"), "");
  EXPECT_EQ(form.value->at("c"), "2");
  EXPECT_FALSE(parse_form("a=%zz").ok());
  EXPECT_FALSE(parse_form("a=%4").ok());
}

}  // namespace
}  // namespace switchyard::providers::google
