package dev.sluice.southbound;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The transport layer moves bytes: it knows neither the flow model nor Kafka. */
class LayeringTest {
  private static final JavaClasses SOUTHBOUND =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice.southbound");

  @Test
  void channelAndWireDoNotDependOnTheFlowModel() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.sluice.southbound.channel..", "dev.sluice.southbound.wire..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sluice.compiler..")
        .allowEmptyShould(true)
        .check(SOUTHBOUND);
  }

  @Test
  void southboundDoesNotUseKafka() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..")
        .allowEmptyShould(true)
        .check(SOUTHBOUND);
  }

  @Test
  void wireDoesNotDependOnTheChannel() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.southbound.wire..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.southbound.channel..")
        .allowEmptyShould(true)
        .check(SOUTHBOUND);
  }
}
