// The BOM's promise, checked on what the two consumer projects resolved: a user of fanout-core alone
// and a user of fanout-core with fanout-registry-gar get one version of every library they share,
// the version this build tested with, and the BOM's google-auth, Guava and Gson.

// groupId:artifactId[:classifier] -> version, from a dependency:list output file.
def versions(File file) {
  def result = [:]
  file.eachLine { line ->
    def fields = line.replaceFirst(/ -- .*$/, '').trim().split(':')
    if (fields.length == 5) {
      result["${fields[0]}:${fields[1]}".toString()] = fields[3]
    } else if (fields.length == 6) {
      result["${fields[0]}:${fields[1]}:${fields[3]}".toString()] = fields[4]
    }
  }
  return result
}

def coreOnly = versions(new File(basedir, 'core/target/resolved-versions.txt'))
def coreAndGar = versions(new File(basedir, 'core-and-gar/target/resolved-versions.txt'))
def tested = versions(new File(testedVersions))
def problems = []

if (coreOnly.isEmpty() || coreAndGar.isEmpty() || tested.isEmpty()) {
  problems << "a resolved list is empty: core ${coreOnly.size()}, core+gar ${coreAndGar.size()}, tested ${tested.size()}"
}
def shared = coreOnly.keySet().intersect(coreAndGar.keySet())
shared.each { library ->
  if (coreOnly[library] != coreAndGar[library]) {
    problems << "$library: ${coreOnly[library]} with fanout-core alone, ${coreAndGar[library]} with fanout-registry-gar"
  }
}
(coreAndGar.keySet() + tested.keySet()).each { library ->
  if (coreAndGar[library] != tested[library]) {
    problems << "$library: the user resolves ${coreAndGar[library] ?: 'nothing'}, the build tested ${tested[library] ?: 'nothing'}"
  }
}
[
  'com.google.auth:google-auth-library-oauth2-http': googleAuthVersion,
  'com.google.guava:guava': guavaVersion,
  'com.google.code.gson:gson': gsonVersion,
].each { library, pinned ->
  [['fanout-core alone', coreOnly], ['fanout-core with fanout-registry-gar', coreAndGar]].each { user, resolved ->
    if (resolved[library] != pinned) {
      problems << "$library: ${resolved[library] ?: 'nothing'} for a user of $user, the BOM pins $pinned"
    }
  }
}

if (!problems.isEmpty()) {
  throw new AssertionError('The BOM does not give its users the tested versions:\n' + problems.join('\n'))
}
println "BOM consumers: fanout-core alone resolves ${coreOnly.size()} artifacts, with fanout-registry-gar ${coreAndGar.size()}; " +
    "the ${shared.size()} shared ones have one version each, the same as the build's; " +
    "google-auth ${googleAuthVersion}, Guava ${guavaVersion}, Gson ${gsonVersion}"
return true
